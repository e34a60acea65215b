"""Draw the integration's brand icon (a battery with a sun), at 256 and 512 px.

Run: .venv/bin/python scripts/tools/draw_brand.py  (writes custom_components/atess/brand/)
"""

import math
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[2] / "custom_components" / "atess" / "brand"
GREEN = (18, 158, 94, 255)
SUN = (255, 184, 28, 255)
DARK = (30, 41, 59, 255)


def draw(size: int) -> Image.Image:
    """Return the icon at size x size, drawn at 4x and scaled down for smooth edges."""
    s = size * 4
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    u = s / 256
    # sun: disc with rays, top right
    cx, cy, r = 178 * u, 70 * u, 30 * u
    for i in range(12):
        a = i * math.pi / 6
        d.line(
            [
                (cx + math.cos(a) * (r + 10 * u), cy + math.sin(a) * (r + 10 * u)),
                (cx + math.cos(a) * (r + 26 * u), cy + math.sin(a) * (r + 26 * u)),
            ],
            fill=SUN,
            width=int(9 * u),
        )
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=SUN)
    # battery body, bottom left, with a terminal and three charge bars
    x0, y0, x1, y1 = 24 * u, 96 * u, 172 * u, 236 * u
    d.rounded_rectangle([x0, y0, x1, y1], radius=18 * u, outline=DARK, width=int(12 * u))
    d.rounded_rectangle([74 * u, 80 * u, 122 * u, 100 * u], radius=6 * u, fill=DARK)
    for k in range(3):
        top = y1 - 22 * u - (k + 1) * 34 * u + 6 * u
        d.rounded_rectangle([42 * u, top, 154 * u, top + 26 * u], radius=6 * u, fill=GREEN)
    return img.resize((size, size), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    draw(256).save(OUT / "icon.png", optimize=True)
    draw(512).save(OUT / "icon@2x.png", optimize=True)
    print(f"wrote {OUT}/icon.png and icon@2x.png")
