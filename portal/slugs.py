"""Addresses made from names: "Vleuten-Dorp" → ``vleuten-dorp``, unique among those taken."""

import re
import unicodedata


def slugify(name: str, fallback: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or fallback


def unique_slug(name: str, taken: set[str], fallback: str) -> str:
    """The slug of ``name``, with -2, -3 ... added while it is taken."""
    base = slugify(name, fallback)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
