"""A wijk's accent colour: written as ``#rrggbb`` and dark enough to read on white.

The accent colours buttons, borders and headings on white and on the portal's light greys, so
a wijk's colour must reach a contrast of at least 7:1 against white (WCAG's AAA level for
text, which the portal keeps for its own colours too).
"""

import re

MINIMUM_CONTRAST = 7.0
HEX = re.compile(r"#?([0-9a-f]{6}|[0-9a-f]{3})")


def normalised(colour: str) -> str | None:
    """``"#0B4A8B"``, ``"0b4a8b"`` or ``"#abc"`` as ``"#0b4a8b"`` (``"#aabbcc"``); None when
    it is not a colour in hexadecimal."""
    found = HEX.fullmatch((colour or "").strip().lower())
    if not found:
        return None
    digits = found.group(1)
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return f"#{digits}"


def contrast_ratio(colour: str, background: str = "#ffffff") -> float:
    """The WCAG 2 contrast ratio of two ``#rrggbb`` colours, from 1 (the same) to 21 (black on
    white): (L1 + 0.05) / (L2 + 0.05) of their relative luminances, the lighter one above."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(colour), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
