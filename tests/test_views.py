"""View builders without a browser: where links lead, titles, the brief's filter line and the tour's limit."""
from __future__ import annotations

import json
import sys

import pytest
from plotly.utils import PlotlyJSONEncoder

from dashboard import actions, brief, data, panel, presenter, queries, views
from dashboard.domain import PANEL_ORDER
from dashboard.markup import to_html
from dashboard.state import MAX_MORE, MAX_TOUR_STEPS, ViewState, Vocabulary
from helpers import ROOT, with_islands

sys.path.insert(0, str(ROOT / "bench"))



def _find(node, predicate) -> list:
    """Every component under node (a component tree or its plain JSON) for which predicate(props) holds."""
    found = []
    if isinstance(node, (list, tuple)):
        for item in node:
            found += _find(item, predicate)
        return found
    props = node.get("props", {}) if isinstance(node, dict) else getattr(node, "__dict__", {})
    if isinstance(node, dict) or hasattr(node, "_prop_names"):
        if predicate(props):
            found.append(props)
        found += _find(props.get("children") or [], predicate)
    return found


def _similar_hrefs(dataset, state) -> list[str]:
    card = panel._card(dataset, state, "r1-fra-17")
    return [p["href"] for p in _find(card, lambda p: "similar-link" in str(p.get("className", "")))]


@pytest.mark.parametrize("state, href", [
    (ViewState(territory="FRA"), "?territory=ITA#rec-r1-ita-11"),
    (ViewState(lang="fr", territory="FRA", actors=("national",), q="abus"), "?lang=fr&territory=ITA#rec-r1-ita-11"),
    # a French browser reading in English stays in English
    (ViewState(territory="FRA", browser_lang="fr"), "?lang=en&territory=ITA#rec-r1-ita-11"),
    # a presenter's link names the view only: followed inside the page, it keeps presenter mode, the tour
    # and its place in it (actions.py, kind "link"); opened in a new tab, it opens the plain view
    (ViewState(territory="FRA", present=True, tour=("territory=FRA", "territory=MTQ"), step=0),
     "?territory=ITA#rec-r1-ita-11"),
    (ViewState(territory="FRA", present=True, tour=("territory=FRA", "territory=MTQ")), "?territory=ITA#rec-r1-ita-11"),
])
def test_similar_links_keep_the_language_but_not_the_filters(dataset, state, href):
    assert _similar_hrefs(dataset, state) == [href]


def test_cached_cards_differ_by_browser_language(dataset):
    english = _similar_hrefs(dataset, ViewState(territory="FRA"))
    french_browser = _similar_hrefs(dataset, ViewState(territory="FRA", browser_lang="fr"))
    assert english != french_browser


@pytest.mark.parametrize("state, title", [
    (ViewState(), "Atlas of recommendations"),
    (ViewState(lang="fr"), "Atlas des recommandations"),
    (ViewState(territory="GUY"), "Guyana · Atlas of recommendations"),
    (ViewState(lang="fr", territory="GUF"), "Guyane · Atlas des recommandations"),
])
def test_page_title(dataset, state, title):
    assert views.page_title(dataset, state) == title


@pytest.mark.parametrize("state, n, text", [
    (ViewState(territory="MTQ"), 36, "Martinique 36 recommendations"),
    (ViewState(themes=("children_youth",), actors=("private",)), 0, "Overview No match · 2 filters on"),
    (ViewState(territory="MTQ", q="zzz"), 0, "Martinique No match · 1 filter on"),
    (ViewState(), 0, "Overview No match"),
    (ViewState(lang="fr", themes=("children_youth",), actors=("private",)), 0,
     "Vue d'ensemble Aucun résultat · 2 filtres actifs"),
])
def test_the_folded_sheet_says_when_nothing_matches_and_how_many_filters_are_on(dataset, state, n, text):
    parts = views._sheet_summary(dataset, state, n)
    assert "".join(p if isinstance(p, str) else p.children for p in parts) == text


@pytest.mark.parametrize("state, line", [
    (ViewState(territory="FRA"), None),
    (ViewState(territory="FRA", actors=("private",)), "Filtered by: Companies and private sector"),
    (ViewState(lang="fr", territory="FRA", actors=("international", "private"), q="abus", report=1),
     "Filtré par : Autorités internationales ou Entreprises et secteur privé; Rapport 1; recherche « abus »"),
])
def test_the_brief_names_the_filters_in_force(dataset, state, line):
    shown = brief._filters(dataset, state)
    text = None if shown is None else "".join(
        c if isinstance(c, str) else c.children for c in shown.children)
    assert text == line


@pytest.mark.parametrize("steps, disabled", [(0, False), (MAX_TOUR_STEPS - 1, False), (MAX_TOUR_STEPS, True)])
def test_a_full_tour_takes_no_more_views(dataset, steps, disabled):
    state = ViewState(tour=tuple(f"territory={c}" for c in (["FRA", "ITA"] * MAX_TOUR_STEPS)[:steps]))
    box = presenter.tour_box(dataset, state, Vocabulary.of(dataset))
    add = _find(box, lambda p: p.get("id") == "tour-add")[0]
    assert bool(add.get("disabled")) is disabled
    notes = _find(box, lambda p: "tour-full" in str(p.get("className", "")))
    assert bool(notes) is disabled


@pytest.mark.parametrize("state, current", [
    (ViewState(territory="ITA", tour=("territory=FRA", "territory=ITA"), step=1), [False, True]),
    (ViewState(territory="FRA", tour=("territory=FRA", "territory=ITA")), [False, False]),  # not started
    # the view moved on from its step: no step is marked, and → still goes on from there
    (ViewState(territory="ITA", actors=("national",), tour=("territory=FRA", "territory=ITA"), step=1), [False, False]),
    (ViewState(territory="ITA", lang="fr", tour=("territory=FRA", "territory=ITA"), step=1), [False, True]),
])
def test_tour_marks_its_step_only_while_the_view_is_that_step(dataset, state, current):
    steps = _find(presenter.tour_box(dataset, state, Vocabulary.of(dataset)),
                  lambda p: "tour-step" in str(p.get("className", "")).split())
    assert [" current" in p["className"] for p in steps] == current
    assert [p.get("aria-current") == "step" for p in steps] == current


# --- the cap on cards: a page of CARD_LIMIT at a time, the total, and "Show more" ----------------------

@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """5,000 synthetic recommendations: 3,500 or so national ones, and partner territories with hundreds each."""
    from synthetic import write_dataset
    return data.load(write_dataset(tmp_path_factory.mktemp("big"), 5_000))


def _cards(node) -> list[str]:
    return [p["data-rec-id"] for p in _find(node, lambda p: "rec-card" in str(p.get("className", "")).split())]


def _texts(node, class_name: str) -> list[str]:
    def text(props):
        children = props.get("children")
        return "".join(c if isinstance(c, str) else text(c.get("props", {}) if isinstance(c, dict) else vars(c))
                       for c in (children if isinstance(children, list) else [children]) if c is not None)
    return [text(p) for p in _find(node, lambda p: class_name in str(p.get("className", "")).split())]


def _partner(big) -> str:
    """The territory with the most recommendations: a partner of a report, which gets all its shared ones."""
    counts = queries.summary(big, ViewState()).territory_counts
    return max(counts, key=counts.get)


@pytest.mark.parametrize("view, more, lang, cards, shown_line, button", [
    # no filter and no territory: the overview lists no card at all
    ({}, 0, "en", 0, None, None),
    ({"actors": ("national",)}, 0, "en", 200, "Showing 200 of {total} recommendations", "Show 200 more"),
    ({"actors": ("national",)}, 1, "en", 400, "Showing 400 of {total} recommendations", "Show 200 more"),
    ({"actors": ("national",)}, 1, "fr", 400, "400 affichées sur {total} recommandations", "Afficher 200 de plus"),
    # the hard cap: no button past MAX_MORE presses, and a word on how to read the rest
    ({"actors": ("national",)}, MAX_MORE, "en", 2_000, "Showing 2,000 of {total} recommendations", None),
    # a list that fits shows every card and no line
    ({"q": "zzzz-no-such-word"}, 0, "en", 0, None, None),
    ({"actors": ("national",), "q": "{rare}"}, 0, "en", "all", None, None),
    # a territory's actor groups share one cap, and the last page offers only what is left
    ({"territory": "{partner}"}, 0, "en", 200, "Showing 200 of {total} recommendations", "Show 200 more"),
    ({"territory": "{partner}"}, "last", "en", "all", None, None),
    ({"territory": "{partner}"}, "last-but-one", "en", "rest", "Showing {shown} of {total} recommendations",
     "Show {left} more"),
])
def test_the_panel_shows_a_page_of_cards_at_a_time(big, view, more, lang, cards, shown_line, button):
    partner = _partner(big)
    rare = "victimes"
    view = {k: (v.format(partner=partner, rare=rare) if isinstance(v, str) else v) for k, v in view.items()}
    state = ViewState(lang=lang, **view)
    total = queries.summary(big, state).total
    pages = -(-total // queries.CARD_LIMIT)  # the pages this list takes
    if isinstance(more, str):
        more = pages - 1 if more == "last" else pages - 2
        assert 0 < more < MAX_MORE, "the dataset should give this territory a few pages"
    state = state.but(more=more)
    if cards == "all":
        cards = total
        assert total <= queries.CARD_LIMIT * (more + 1)
    elif cards == "rest":
        cards = queries.CARD_LIMIT * (more + 1)
    facts = queries.summary(big, state, limit=panel.card_limit(state))
    tree = panel.side_panel(big, state, facts)
    shown = _cards(tree)
    assert len(shown) == cards and len(set(shown)) == cards
    # the first cards of the list, in the panel's order: document order, actor after actor in a territory
    if state.territory:
        expected = [i for actor in PANEL_ORDER for i in facts.ids_by_actor[actor]][:cards]
    else:
        expected = list(facts.ids[:cards])
    assert shown == expected
    number = "{:,}".format if lang == "en" else (lambda n: f"{n:,}".replace(",", "\u202f"))
    fill = {"total": number(total), "shown": number(cards), "left": number(min(200, total - cards))}
    assert _texts(tree, "cards-shown") == ([shown_line.format(**fill)] if shown_line else [])
    assert [p.get("data-action") for p in _find(tree, lambda p: p.get("id") == "show-more")] == \
        (['{"kind":"more"}'] if button else [])
    assert _texts(tree, "btn-outline-primary") == ([button.format(**fill)] if button else [])
    assert bool(_texts(tree, "cards-full")) is (more == MAX_MORE and total > cards)


def _sent_cards(parts: dict) -> int:
    """The cards in what is sent: as components, or in the HTML of an island."""
    text = json.dumps(parts, cls=PlotlyJSONEncoder)
    return text.count('"data-rec-id"') + text.count('data-rec-id=\\"')


@pytest.mark.parametrize("presses", [0, 1, 2, MAX_MORE])
def test_the_browser_gets_a_page_of_cards_per_press(big, presses):
    vocab, state = Vocabulary.of(big), ViewState(actors=("national",))
    before = state.but(more=presses - 1) if presses else ViewState()
    parts = views.render(big, state.but(more=presses), vocab, "http://localhost/", since=before)
    assert _sent_cards(parts) == queries.CARD_LIMIT * (presses + 1)
    if presses:  # "Show more" sends the panel again, and nothing that does not change with it
        assert set(parts) == {"panel", "lang_href"}
    whole = views.page(big, state.but(more=presses), {}, vocab, "http://localhost/")
    assert _sent_cards(whole.to_plotly_json()) == queries.CARD_LIMIT * (presses + 1)


def test_a_new_filter_sends_the_first_page_again(big):
    vocab, shown = Vocabulary.of(big), ViewState(actors=("national",), more=3)
    after = actions.apply(big, vocab, shown, {"kind": "theme", "theme": next(iter(big.themes))})
    parts = views.render(big, after, vocab, "http://localhost/", since=shown)
    assert after.more == 0 and _sent_cards(parts) == queries.CARD_LIMIT
    assert {"panel", "list", "table", "counts"} <= set(parts)


def test_the_brief_and_the_csv_link_are_not_capped(big):
    state = ViewState(territory=_partner(big))
    total = queries.summary(big, state).total
    assert total > queries.CARD_LIMIT
    page = with_islands(views.page(big, state, {}, Vocabulary.of(big), "http://localhost/"))
    items = _find(page, lambda p: "data-rec-id" in p and "rec-card" not in str(p.get("className", "")))
    assert len(items) == total  # every match in the brief, 200 cards in the panel
    assert len(_cards(page)) == queries.CARD_LIMIT
    printed = views.render_brief(big, state.but(more=1), "http://localhost/")
    assert len(_find(printed, lambda p: "data-rec-id" in p)) == total
    assert views.render(big, state.but(more=2), Vocabulary.of(big), "http://localhost/")["download_href"] == \
        f"/download/recommendations.csv?territory={state.territory}"


def test_an_also_recommended_link_opens_as_many_pages_as_reach_its_card(big):
    """The link names the other territory's view with the pages of cards its card is on, so that it is there."""
    links, orders = [], {}
    for rec_id, twins in big.similar.items():
        for twin_id in twins:
            code = big.by_id[twin_id].territories[0]
            if code not in orders:
                facts = queries.summary(big, ViewState(territory=code), limit=len(big.recommendations))
                orders[code] = [i for actor in PANEL_ORDER for i in facts.ids_by_actor[actor]]
            links.append((rec_id, twin_id, code, orders[code].index(twin_id) // queries.CARD_LIMIT))
    far = [link for link in links if 0 < link[3] <= MAX_MORE]
    assert far and [link for link in links if link[3] == 0], "the dataset should give near and far twins"
    for rec_id, twin_id, code, pages in far[:5] + [link for link in links if link[3] == 0][:5]:
        card = panel._card(big, ViewState(), rec_id)
        hrefs = [p["href"] for p in _find(card, lambda p: "similar-link" in str(p.get("className", "")))]
        expected = f"?territory={code}" + (f"&more={pages}" if pages else "") + f"#rec-{twin_id}"
        assert expected in hrefs
        state = ViewState(territory=code, more=pages)
        shown = _cards(panel.side_panel(big, state, queries.summary(big, state, limit=panel.card_limit(state))))
        assert twin_id in shown


@pytest.mark.parametrize("state, since", [
    (ViewState(themes=("tourism",)), ViewState()),  # a theme tick: panel, list, table, options
    (ViewState(themes=("tourism",), tab="matrix"), ViewState(tab="matrix")),  # and the matrix
    (ViewState(territory="MTQ", actors=("national",)), ViewState(territory="MTQ")),
    (ViewState(actors=("national",), more=1), ViewState(actors=("national",))),  # "Show more"
    (ViewState(territory="MTQ"), None),  # the first render
])
def test_a_request_filters_once(dataset, monkeypatch, state, since):
    # cards are built once per process, and a card's "also recommended in" link looks up where its twin
    # comes in the other territory's panel once: what a request does once they are built
    views.page(dataset, state, {}, Vocabulary.of(dataset), "http://localhost/")
    views._KEPT.clear()  # the panels kept from that page: this request makes its own
    calls = []
    real = queries.filter_masks
    monkeypatch.setattr(queries, "filter_masks", lambda *args, **kw: calls.append(args[1]) or real(*args, **kw))
    parts = views.render(dataset, state, Vocabulary.of(dataset), "http://localhost/", since=since)
    assert calls == [state] and "panel" in parts
    calls.clear()
    views.page(dataset, state, {}, Vocabulary.of(dataset), "http://localhost/")  # the map and the brief too
    assert calls == [state]


@pytest.mark.parametrize("state, since, sent", [
    (ViewState(territory="MTQ"), ViewState(), False),  # a click: the table counts every territory anyway
    (ViewState(), ViewState(territory="MTQ"), False),  # the selection cleared
    (ViewState(territory="FRA"), ViewState(territory="MTQ"), False),
    (ViewState(themes=("tourism",)), ViewState(), True),  # a filter changes the counts
    (ViewState(territory="MTQ", q="travail"), ViewState(territory="MTQ"), True),
])
def test_the_territory_table_is_sent_when_its_counts_may_change(dataset, state, since, sent):
    vocab = Vocabulary.of(dataset)
    parts = views.render(dataset, state, vocab, "http://localhost/", since=since)
    assert ("table" in parts) is sent
    whole = views.render(dataset, state, vocab, "http://localhost/")["table"]
    assert whole == views.render(dataset, since, vocab, "http://localhost/")["table"] or sent
    if sent:
        assert parts["table"] == whole


@pytest.mark.parametrize("lang, note, heading", [
    ("en", "Ticked themes combine as “any of”. The number beside a theme counts its recommendations under the "
           "other filters, not among the matches.", "By theme, among these matches"),
    ("fr", "Les thèmes cochés se combinent en «\u202fl’un ou l’autre\u202f». Le nombre à côté d’un thème compte ses "
           "recommandations sous les autres filtres, pas parmi les résultats.", "Par thème, parmi ces résultats"),
])
def test_theme_counts_that_differ_say_what_they_count(dataset, lang, note, heading):
    """With a theme ticked, Justice counts 10 beside its box (under the other filters) and 3 in the overview
    (among the matches): each says what it counts, and the boxes say that themes combine as "any of"."""
    state = ViewState(lang=lang, themes=("victim_support",))
    facts = queries.summary(dataset, state)
    assert facts.theme_counts["justice_law_enforcement"] != facts.matching_theme_counts["justice_law_enforcement"]
    page = with_islands(views.page(dataset, state, {}, Vocabulary.of(dataset), "http://localhost/"))
    (shown,) = _find(page, lambda p: p.get("id") == "theme-filter-note")
    assert shown["children"] == note
    assert heading in _texts(page, "h6")


@pytest.mark.parametrize("state", [ViewState(territory="MTQ"), ViewState(territory="MTQ", lang="fr"),
                                   ViewState(territory="FRA", browser_lang="fr"), ViewState(actors=("national",), more=1)],
                         ids=repr)
def test_a_kept_panel_is_the_panel_built_anew(dataset, state):
    vocab = Vocabulary.of(dataset)
    views._KEPT.clear()
    built = views.render(dataset, state, vocab, "http://localhost/")["panel"]
    assert views.render(dataset, state, vocab, "http://localhost/")["panel"] is built  # the same view builds nothing
    facts = queries.summary(dataset, state, limit=panel.card_limit(state))
    assert built == to_html(panel.side_panel(dataset, state, facts))
    # each language, browser language and page of cards keeps its own
    for other in (state.but(lang="fr" if state.lang == "en" else "en"), state.but(browser_lang="fr" if state.browser_lang == "en" else "en"),
                  state.but(more=state.more + 1)):
        assert views.render(dataset, other, vocab, "http://localhost/")["panel"] is not built


@pytest.mark.parametrize("text", [
    "",
    "plain",
    '<a href="/x?a=1&b=2">Côte d’Ivoire</a>',  # markup, a path, accents and a typographic apostrophe
    "</script><script>alert(1)</script>",
    "line\u2028break\u2029paragraph",  # JavaScript's own line ends
    'quote " backslash \\ tab \t nul \x00',
    "emoji \U0001F600",
])
def test_an_island_is_encoded_as_dash_would_write_it_but_in_ascii(text):
    from plotly.io.json import to_json_plotly

    from dashboard import islands

    encoded = islands.encoded(text)
    assert json.loads(encoded) == text == json.loads(to_json_plotly(text))
    assert encoded.isascii() and not set(b"<>/") & set(encoded)


def test_an_island_with_a_lone_surrogate_is_still_encoded():
    from dashboard import islands

    assert json.loads(islands.encoded("a \ud800 b")) == "a \ud800 b"  # plotly's writer (orjson) refuses it


def test_the_islands_of_an_answer_are_the_json_of_their_html(dataset):
    from dash._utils import to_json

    from dashboard import islands

    vocab = Vocabulary.of(dataset)
    parts = views.render(dataset, ViewState(territory="MTQ"), vocab, "http://localhost/", since=ViewState())
    # as Dash writes an answer: plotly's writer, through orjson, which copies a fragment as it is
    assert json.loads(to_json(islands.answer(parts))) == islands.drawn(parts) != {}
    assert islands.answer({}) is None


def test_a_writer_told_to_use_python_s_json_gets_the_islands_as_they_are(dataset, monkeypatch):
    from dash._utils import to_json
    from plotly.io import json as pio_json

    from dashboard import islands

    monkeypatch.setattr(pio_json.config, "default_engine", "json")
    parts = views.render(dataset, ViewState(territory="ITA"), Vocabulary.of(dataset), "http://localhost/",
                         since=ViewState())
    assert json.loads(to_json(islands.answer(parts))) == islands.drawn(parts) != {}
