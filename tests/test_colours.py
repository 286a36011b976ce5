"""The WCAG contrast ratio, checked against published figures (WCAG's own bounds and WebAIM's checker)."""
from __future__ import annotations

import pytest

from dashboard.colours import contrast_ratio, linear_rgb, relative_luminance, rgb


@pytest.mark.parametrize("one, two, ratio", [
    ("#000000", "#ffffff", 21.0),  # WCAG: contrast ratios range from 1 to 21
    ("#ffffff", "#000000", 21.0),
    ("#777777", "#777777", 1.0),
    ("#ffffff", "#ffffff", 1.0),
    ("#777777", "#ffffff", 4.48),  # just fails AA for text
    ("#767676", "#ffffff", 4.54),  # the darkest grey that passes AA on white
    ("#595959", "#ffffff", 7.00),  # AAA on white (the matrix's empty cells)
    ("#0000ff", "#ffffff", 8.59),
    ("#ff0000", "#ffffff", 4.00),
    ("#808080", "#ffffff", 3.95),
    ("#00ff00", "#000000", 15.30),
    ("#ffff00", "#ffffff", 1.07),
])
def test_published_contrast_ratios(one, two, ratio):
    assert contrast_ratio(one, two) == pytest.approx(ratio, abs=0.005)


@pytest.mark.parametrize("one, two", [
    ("#fff", "#ffffff"), ("#FFFFFF", "#ffffff"), ("rgb(255, 255, 255)", "#ffffff"),
    ("rgba(255, 255, 255, 1)", "#ffffff"), ("rgb(119 119 119)", "#777777"), (" rgb(0,0,0) ", "#000"),
    ("rgb(118.5, 118.5, 118.5)", "rgb(118.5, 118.5, 118.5)"),
])
def test_notations_of_one_colour_read_alike(one, two):
    assert rgb(one) == rgb(two)
    assert contrast_ratio(one, "#000000") == pytest.approx(contrast_ratio(two, "#000000"))


@pytest.mark.parametrize("colour, luminance", [("#000000", 0.0), ("#ffffff", 1.0), ("#ff0000", 0.2126),
                                               ("#00ff00", 0.7152), ("#0000ff", 0.0722)])
def test_relative_luminance_weights_the_primaries(colour, luminance):
    assert relative_luminance(colour) == pytest.approx(luminance)


@pytest.mark.parametrize("value, linear", [(0, 0.0), (10, 10 / 255 / 12.92), (11, ((11 / 255 + 0.055) / 1.055) ** 2.4),
                                           (255, 1.0)])
def test_the_srgb_curve_turns_at_its_threshold(value, linear):
    assert linear_rgb(f"rgb({value}, {value}, {value})") == pytest.approx((linear,) * 3)


@pytest.mark.parametrize("colour", ["", "white", "#12345", "#gggggg", "rgb(1, 2)", "rgb(256, 0, 0)", "rgb(1.2.3, 0, 0)", "hsl(0, 0%, 0%)",
                                    "color(srgb 1 1 1)"])
def test_what_is_not_a_colour_is_named(colour):
    with pytest.raises(ValueError, match="not an sRGB colour"):
        rgb(colour)
