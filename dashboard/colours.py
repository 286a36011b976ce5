"""WCAG 2 colour contrast: the one formula for the colours the page picks and for the tests that check them."""
from __future__ import annotations

import re

_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
_NUMBER = r"(\d+(?:\.\d+)?)"
_FUNCTIONAL = re.compile(rf"rgba?\(\s*{_NUMBER}[\s,]+{_NUMBER}[\s,]+{_NUMBER}\s*(?:[,/]\s*[\d.]+%?\s*)?\)")
_WEIGHTS = (0.2126, 0.7152, 0.0722)  # WCAG's relative luminance of linear sRGB (ITU-R BT.709)


def rgb(colour: str) -> tuple[float, float, float]:
    """sRGB channels from 0 to 255 of '#rrggbb', '#rgb', 'rgb(r, g, b)' or 'rgba(r, g, b, a)' (as a
    browser's computed style gives them); the alpha of rgba is left out, so pass opaque colours."""
    text = colour.strip()
    if match := _HEX.fullmatch(text):
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return tuple(float(int(digits[i:i + 2], 16)) for i in (0, 2, 4))
    if (match := _FUNCTIONAL.fullmatch(text)) and all(float(v) <= 255 for v in match.groups()):
        return tuple(float(v) for v in match.groups())
    raise ValueError(f"not an sRGB colour: {colour!r} (expected #rrggbb, #rgb or rgb(r, g, b))")


def linear_rgb(colour: str) -> tuple[float, float, float]:
    """The colour's channels as linear light from 0 to 1 (the sRGB transfer function undone).

    0.04045 is the sRGB standard's threshold; WCAG 2.0 printed 0.03928, which no 8-bit channel can tell apart."""
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb(colour)))


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance: 0 for black, 1 for white."""
    return sum(w * c for w, c in zip(_WEIGHTS, linear_rgb(colour)))


def contrast_ratio(one: str, two: str) -> float:
    """WCAG contrast ratio of two opaque colours, from 1 (the same) to 21 (black and white), in either order.
    AA asks 4.5 for text (3 for large text and for the edges of controls), AAA asks 7."""
    high, low = sorted((relative_luminance(one), relative_luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)
