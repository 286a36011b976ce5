"""The printable brief: French typography, the body size, the territory's map, the tree the page prints, and
in headless Chromium the printed pages themselves (print media and Chrome's PDF)."""
from __future__ import annotations

import base64
import csv
import math
import re
from urllib.parse import unquote

import pytest

from dashboard import queries
from dashboard.brief import SIZES, brief, text_size, typeset
from dashboard.locator import MIN_SPAN, locator_svg, locator_uri
from dashboard.share import qr_data_uri
from dashboard.state import ViewState
from dashboard.text import french_spacing
from helpers import DATA, card_ids, component_text, elements, panel_territory, visit, wait_until, walk_components

NNBSP = "\u202f"





def _recs() -> dict[str, dict]:
    with (DATA / "recommendations.csv").open(encoding="utf-8") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


# --- French typography ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Filtré par :", f"Filtré par{NNBSP}:"),  # a plain space becomes the narrow no-break space
    ("Santé: 1", f"Santé{NNBSP}: 1"),
    ("Quoi?", f"Quoi{NNBSP}?"),
    ("Vraiment ; oui !", f"Vraiment{NNBSP}; oui{NNBSP}!"),
    ("Quoi ?!", f"Quoi{NNBSP}?!"),  # one space before a run of marks
    ("« Oui » ?", f"« Oui »{NNBSP}?"),
    ("Rapport 1: France", f"Rapport 1{NNBSP}: France"),
    ("à 10:30 ou 10h30", "à 10:30 ou 10h30"),  # a time
    ("un rapport 1:2", "un rapport 1:2"),  # a ratio
    ("déjà\u00a0: espacé", "déjà\u00a0: espacé"),  # already spaced, by any no-break space
    (f"déjà{NNBSP}; espacé", f"déjà{NNBSP}; espacé"),
    ("deux  : espaces", "deux  : espaces"),  # spaced by hand: left as it is
    (":début", ":début"),
    ("ligne\n: suite", "ligne\n: suite"),
    ("http://127.0.0.1:8050/?lang=fr&territory=MTQ", "http://127.0.0.1:8050/?lang=fr&territory=MTQ"),
    ("Lien : https://example.org/a?b=c!", f"Lien{NNBSP}: https://example.org/a?b=c{NNBSP}!"),
    ("voir www.example.org?q=1: ici", f"voir www.example.org?q=1{NNBSP}: ici"),
    ("écrire à mailto:a@b.fr", "écrire à mailto:a@b.fr"),
    ("", ""),
])
def test_french_spacing(text, expected):
    assert french_spacing(text) == expected
    assert french_spacing(expected) == expected  # spacing twice changes nothing


def test_typeset_spaces_french_trees_only():
    from dash import html
    assert component_text(typeset(html.P(["Par acteur:", html.Strong("n° 3?")]), "fr")) == f"Par acteur{NNBSP}:n° 3{NNBSP}?"
    assert component_text(typeset(html.P("By actor: 3"), "en")) == "By actor: 3"


# --- body size ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("characters, size", [
    (0, 12.0), (500, 12.0),  # a short brief fills its page with large text
    (1700, 10.0),  # as much as one page holds at 10 pt
    (2000, 12.0), (3300, 11.5), (4050, 11.0), (4300, 10.5),  # onto two pages, as large as they allow
    (5200, 10.0), (50_000, 10.0),  # never under 10 pt
])
def test_text_size(characters, size):
    assert text_size(characters) == size


def test_text_size_is_never_under_10_pt():
    assert min(SIZES) == 10.0 and all(text_size(n) >= 10 for n in range(0, 20_000, 37))


# --- the territory's map -----------------------------------------------------------------------------

def _numbers(path: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]


def test_locator_map_of_an_island_shows_its_neighbours_and_rings_it():
    svg = locator_svg(DATA, "MTQ")
    assert svg.startswith("<svg") and 'viewBox="0 0 320 240"' in svg
    territory = re.search(r'<path id="territory" data-code="MTQ" d="([^"]+)"', svg).group(1)
    xs, ys = _numbers(territory)[0::2], _numbers(territory)[1::2]
    assert 100 < sum(xs) / len(xs) < 220 and 70 < sum(ys) / len(ys) < 170, "Martinique is not in the middle"
    assert max(xs) - min(xs) < 24, f"the frame is not at least {MIN_SPAN}° high around a small island"
    assert "<circle" in svg, "a small island gets a ring, as on the map"
    context = re.search(r'<path d="([^"]+)" fill="#d9d9d9"', svg).group(1)
    assert context.count("M") >= 5, "no neighbouring islands"


def test_locator_map_of_a_country_keeps_its_islands_and_its_neighbours():
    svg = locator_svg(DATA, "FRA")
    territory = re.search(r'<path id="territory" data-code="FRA" d="([^"]+)"', svg).group(1)
    assert territory.count("M") == 3  # mainland, Corsica and an island of the Atlantic coast
    xs, ys = _numbers(territory)[0::2], _numbers(territory)[1::2]
    assert 0 <= min(xs) and max(xs) <= 320 and 0 <= min(ys) and max(ys) <= 240, "France is cut by the frame"
    assert max(xs) - min(xs) > 100, "France is too small in its own map"
    assert "<circle" not in svg


def test_locator_uri_and_a_territory_without_a_shape(tmp_path):
    uri = locator_uri(DATA, "ARG")
    assert uri.startswith("data:image/svg+xml,") and "#" not in uri  # a '#' would end the address
    assert unquote(uri.removeprefix("data:image/svg+xml,")) == locator_svg(DATA, "ARG")
    assert locator_svg(DATA, "ZZZ") is None and locator_uri(DATA, "ZZZ") is None
    # neighbours are cut to the frame: Italy's map does not carry the whole of Russia and Africa
    assert len(locator_svg(DATA, "ITA")) < 25_000
    assert all(-5 <= n <= 325 for n in _numbers(re.search(r'<path d="([^"]+)"', locator_svg(DATA, "ITA")).group(1)))


# --- the brief's tree --------------------------------------------------------------------------------

def _panel_order(ids: list[str]) -> list[str]:
    actor = {i: r["actor"] for i, r in _recs().items()}
    return sorted(ids, key=lambda i: ("national", "international", "private").index(actor[i]))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_brief_holds_every_recommendation_counts_map_source_and_qr(dataset, lang):
    state = ViewState(lang=lang, territory="MTQ")
    recs = queries.matching(dataset.recommendations, state)
    url = "http://example.org/?territory=MTQ"
    tree = brief(dataset, state, queries.summary(dataset, state, limit=len(dataset.recommendations)), url,
                 qr_data_uri(url))
    text = component_text(tree)
    assert tree.id == "brief" and tree.lang == lang
    items = [getattr(li, "data-rec-id") for li in walk_components(tree) if getattr(li, "data-rec-id", None)]
    assert items == _panel_order(list(recs["id"])) and len(items) == 36
    rec = _recs()["r1-mtq-4"]
    assert rec[f"text_{lang}"] in text and rec["text_en" if lang == "fr" else "text_fr"] not in text
    colon = f"{NNBSP}: " if lang == "fr" else ": "
    assert component_text(tree).startswith(f"Martinique{colon}")
    national = "Institutions nationales et locales" if lang == "fr" else "National and local institutions"
    assert f"{national}{colon.rstrip(' ')}\u00a014" in text  # the count never starts a line of its own
    source = ("Rapport 1 : rapport des partenaires (France, Martinique, Italie et Guyana)".replace(" :", NNBSP + ":")
              if lang == "fr" else "Report 1: partner report (France, Martinique, Italy, and Guyana)")
    assert source in text and ".txt" not in text
    images = {img.className: img for img in walk_components(tree) if type(img).__name__ == "Img"}
    assert images["brief-qr"].src.startswith("data:image/png;base64,")
    assert images["brief-map"].src.startswith("data:image/svg+xml,")
    assert images["brief-map"].alt == ("Carte de Martinique et de ses environs" if lang == "fr"
                                       else "Map of Martinique and its surroundings")
    assert url in text  # the address keeps its own characters
    assert tree.style == {"--brief-size": f"{text_size(sum(len(_recs()[i][f'text_{lang}']) for i in items))}pt"}


# --- browser: the printed brief ----------------------------------------------------------------------

A4 = (703, 1032)  # CSS pixels inside the page's 12 mm margins: 186 × 273 mm

# In print media: the body size, text that runs over its box or into another's, list bullets, and the map.
MEASURE = """const brief = document.querySelector('#brief');
const items = [...brief.querySelectorAll('li, p, h1, h2, h3')].filter(e => !e.querySelector('li, p'));
const boxes = items.map(e => { const r = document.createRange(); r.selectNodeContents(e);
  return [...r.getClientRects()].filter(b => b.width > 0 && b.height > 0); });
const name = e => e.tagName + ':' + e.textContent.trim().slice(0, 40);
const overlaps = [], outside = [];
items.forEach((e, i) => { const own = e.getBoundingClientRect();
  if (boxes[i].some(b => b.left < own.left - 1 || b.right > own.right + 1)) outside.push(name(e)); });
for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++)
  for (const a of boxes[i]) for (const b of boxes[j])
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      overlaps.push(name(items[i]) + ' / ' + name(items[j]));
const size = s => parseFloat(getComputedStyle(s).fontSize);
const map = brief.querySelector('img.brief-map');
return {height: brief.getBoundingClientRect().height,
        smallest: Math.min(...[...brief.querySelectorAll('li, p, h3')].map(size)),
        overlaps: overlaps.slice(0, 5), outside: outside.slice(0, 5),
        bullets: [...brief.querySelectorAll('li')].filter(li => getComputedStyle(li).display === 'list-item'
                                                          && getComputedStyle(li).listStyleType !== 'none').length,
        map: map && [map.src.slice(0, 18), map.naturalWidth, map.getBoundingClientRect().width, map.alt]};"""


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def _visible(duo, selector: str) -> bool:
    return duo.driver.execute_script("""
        const el = document.querySelector(arguments[0]);
        if (!el) { return false; }
        const s = getComputedStyle(el), r = el.getBoundingClientRect();
        return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0;""", selector)


def _printed(duo) -> dict:
    """The brief as printed on A4: its pages in Chrome's PDF, and what MEASURE reads in print media with the
    brief as wide as the page's text (the window keeps its size: the map is not drawn again)."""
    driver = duo.driver
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    assert pdf.startswith(b"%PDF")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        wait_until(duo, lambda: _visible(duo, "#brief"), message="the brief in print media")
        driver.execute_script("document.querySelector('#brief').style.width = arguments[0] + 'px';", A4[0])
        return {"pages": _pdf_pages(pdf), **driver.execute_script(MEASURE)}
    finally:
        driver.execute_script("document.querySelector('#brief').style.width = '';")
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def _check_pages(printed: dict, where: str):
    assert printed["smallest"] >= 10 * 96 / 72 - 0.01, f"{where}: text of {printed['smallest'] * 72 / 96:.1f} pt"
    assert printed["overlaps"] == [] and printed["outside"] == [] and printed["bullets"] == 0, f"{where}: {printed}"
    assert printed["map"][0] == "data:image/svg+xml" and printed["map"][1] > 0 and printed["map"][2] > 100, where
    pages = math.ceil(printed["height"] / A4[1])
    assert printed["pages"] == pages <= 2, f"{where}: {printed['pages']} pages for {printed['height'] / A4[1]:.2f}"
    fill = printed["height"] / (pages * A4[1])
    assert fill >= 0.65, f"{where}: its {pages} page(s) are {fill:.0%} full"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_print_brief_of_martinique(start_atlas, lang):
    dash_duo = start_atlas(f"lang={lang}")
    dash_duo.find_element('#territory-list button[data-code="MTQ"]').click()
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "MTQ", message="Martinique panel")
    assert not _visible(dash_duo, "#brief")  # hidden on screen
    dash_duo.driver.execute_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    dash_duo.find_element("#print-brief").click()
    wait_until(dash_duo, lambda: dash_duo.driver.execute_script("return window.__printed") == 1, message="window.print()")

    driver = dash_duo.driver
    printed = _printed(dash_duo)
    _check_pages(printed, f"Martinique ({lang})")
    assert printed["map"][3] == ("Carte de Martinique et de ses environs" if lang == "fr"
                                 else "Map of Martinique and its surroundings")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        wait_until(dash_duo, lambda: _visible(dash_duo, "#brief"), message="the brief in print media")
        title = dash_duo.find_element("#brief h1").text
        assert title == (f"Martinique{NNBSP}: recommandations contre la traite des êtres humains et l'exploitation sexuelle"
                         if lang == "fr" else
                         "Martinique: recommendations against human trafficking and sexual exploitation")
        text = dash_duo.find_element("#brief").text
        national = "Institutions nationales et locales" if lang == "fr" else "National and local institutions"
        assert re.search(f"{national}{NNBSP if lang == 'fr' else ''}:[ \u00a0]14", text)
        assert ("Rapport 1" if lang == "fr" else "Report 1") in text and "recommendations.txt" not in text
        items = driver.execute_script(
            "return [...document.querySelectorAll('#brief .brief-recs li')].map(li => li.dataset.recId);")
        assert len(items) == 36 and set(items) == set(card_ids(dash_duo))
        rec = _recs()["r1-mtq-4"]
        assert rec[f"text_{lang}"] in text and rec["text_fr" if lang == "en" else "text_en"] not in text
        qr = driver.execute_script(
            "const i = document.querySelector('#brief img.brief-qr'); return i && [i.src.slice(0, 22), i.naturalWidth,"
            " i.getBoundingClientRect().width];")
        assert qr[0] == "data:image/png;base64," and qr[1] > 0 and qr[2] > 0
        assert "territory=MTQ" in dash_duo.find_element("#brief .brief-url").text
        for hidden in (".filters-col", "#map", ".atlas-header", "#territory-list", ".rec-card", "#share-box"):
            assert not _visible(dash_duo, hidden), hidden
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_print_brief_follows_the_filters(start_atlas):
    dash_duo = start_atlas("territory=FRA&actor=national&q=formation")
    wait_until(dash_duo, lambda: panel_territory(dash_duo) == "FRA")
    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        wait_until(dash_duo, lambda: _visible(dash_duo, "#brief"), message="the brief in print media")
        items = dash_duo.driver.execute_script(
            "return [...document.querySelectorAll('#brief .brief-recs li')].map(li => li.dataset.recId);")
        assert items == card_ids(dash_duo) and 0 < len(items) < 18
        assert "q=formation" in dash_duo.find_element("#brief .brief-url").text
    finally:
        dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_every_french_brief_uses_its_pages(start_atlas, dataset):
    """French runs longer than English, and France has the most recommendations: each territory's brief is
    set at 10 pt or more, on one page or two that it fills, with nothing running into anything else."""
    dash_duo = start_atlas("lang=fr")
    driver = dash_duo.driver
    for code in dataset.mapped_codes:
        visit(dash_duo, f"lang=fr&territory={code}")
        wait_until(dash_duo, lambda: panel_territory(dash_duo) == code, message=code)
        expected = len(queries.matching(dataset.recommendations, ViewState(territory=code)))
        assert driver.execute_script("return document.querySelectorAll('#brief .brief-recs li').length") == expected
        _check_pages(_printed(dash_duo), code)
    # with no territory there is no brief, and the page prints as it is rather than blank
    visit(dash_duo, "lang=fr")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not elements(dash_duo, "#brief")
        assert _visible(dash_duo, ".filters-col") and _visible(dash_duo, "#side-panel")
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
