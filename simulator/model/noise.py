"""Deterministic pseudo-random numbers addressed by key, so values never depend on call order."""

from __future__ import annotations

import hashlib

_MASK64 = (1 << 64) - 1


def stable_key(*parts: object) -> int:
    """Return a 64-bit key derived from the parts' text (stable across processes, unlike hash())."""
    text = "\x1f".join(str(part) for part in parts)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def unit(key: int, index: int) -> float:
    """Return a number in [0, 1) for (key, index): splitmix64, cheap enough for every slot."""
    x = (key ^ (index * 0x9E3779B97F4A7C15)) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    x ^= x >> 31
    return x / float(1 << 64)


def centered(key: int, index: int) -> float:
    """Return a number in [-1, 1) for (key, index)."""
    return unit(key, index) * 2.0 - 1.0
