"""Constants shared by several modules of the ATESS integration."""

from typing import Final

DOMAIN: Final = "atess"
DEFAULT_URL: Final = "https://www.enerclo-atesspower.com"
