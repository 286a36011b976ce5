"""Records read in either language, and the pieces every list repeats (the recommendation label, the count badge)."""
from __future__ import annotations

import dataclasses

import pytest

from dashboard.components import count_badge, rec_label, rec_name
from dashboard.data import Recommendation, Territory, Theme
from dashboard.domain import ACTOR_ICONS, ACTOR_LABELS, ACTORS, PANEL_ORDER, in_lang



GUF = Territory("GUF", "French Guiana", "Guyane", "FRA", -53.0, 4.0, 83_534)
THEME = Theme("health", "Health", "Santé", "Care for victims.", "Soins aux victimes.")
REC = Recommendation("r1-fra-2", 1, "national", ("FRA",), False, 2, "Prevent.", "Prévenir.", ("health",), False,
                     "A note.", "Une note.")


@pytest.mark.parametrize("read, lang, expected", [
    (lambda: GUF.name("en"), "en", "French Guiana"),
    (lambda: GUF.name("fr"), "fr", "Guyane"),
    (lambda: THEME.label("fr"), "fr", "Santé"),
    (lambda: THEME.definition("en"), "en", "Care for victims."),
    (lambda: REC.text("en"), "en", "Prevent."),
    (lambda: REC.text("fr"), "fr", "Prévenir."),
    (lambda: REC.note("en"), "en", "A note."),
    (lambda: REC.note("fr"), "fr", "Une note."),
])
def test_records_read_in_either_language(read, lang, expected):
    assert read() == expected


@pytest.mark.parametrize("lang, expected", [("en", "Prevent."), ("fr", "Prévenir."), ("de", "Prevent."), ("", "Prevent.")])
def test_any_language_but_french_reads_english(lang, expected):
    assert in_lang(REC, "text", lang) == expected


def test_dataset_records_are_the_rows_of_the_table(dataset):
    assert list(dataset.by_id) == list(dataset.recommendations["id"])
    rec = dataset.by_id["r1-fra-2"]
    row = dataset.recommendations.loc["r1-fra-2"]
    assert isinstance(rec, Recommendation)
    assert (rec.text("en"), rec.text("fr"), rec.note("en"), rec.note("fr")) == (
        row["text_en"], row["text_fr"], row["note_en"], row["note_fr"])
    assert rec.note("en").startswith("The English specifies") and rec.note("fr").startswith("L’anglais précise")
    assert (rec.report, rec.actor, rec.territories, rec.number, rec.shared) == (1, "national", ("FRA",), 2, False)
    assert dataset.by_id["r1-fra-17"].note("fr") == ""


@pytest.mark.parametrize("actor, lang, name, label", [
    ("national", "en", "National and local institutions No. 2 · Report 1", "No. 2 · Report 1"),
    ("national", "fr", "Institutions nationales et locales N° 2 · Rapport 1", "N° 2 · Rapport 1"),
    ("international", "en", "International authorities No. 2 · Report 1", "No. 2 · Report 1"),
    ("private", "fr", "Entreprises et secteur privé N° 2 · Rapport 1", "N° 2 · Rapport 1"),
])
def test_rec_name_names_the_actor(actor, lang, name, label):
    rec = dataclasses.replace(REC, actor=actor)
    assert (rec_name(rec, lang), rec_label(rec, lang)) == (name, label)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_labels_tell_apart_every_recommendation_of_a_territory(dataset, lang):
    """Numbers start again in each actor's section of a report, so the number and report alone repeat
    within a territory's list (the issue's two "No. 1 · Report 2"); with the actor they never do."""
    for code in dataset.mapped_codes:
        recs = [r for r in dataset.by_id.values() if code in r.territories]
        assert len({rec_name(r, lang) for r in recs}) == len(recs), code
    assert any(len({rec_label(r, lang) for r in dataset.by_id.values() if code in r.territories})
               < sum(code in r.territories for r in dataset.by_id.values()) for code in dataset.mapped_codes)


@pytest.mark.parametrize("count, lang, text", [(0, "en", "0"), (87, "fr", "87"), (1234, "en", "1,234"),
                                               (1234, "fr", "1\u202f234")])
def test_count_badge(count, lang, text):
    badge = count_badge(count, lang)
    assert (badge.children, badge.className) == (text, "badge rounded-pill count-badge")


def test_every_actor_has_a_label_an_icon_and_a_place_in_the_panel():
    assert set(ACTOR_LABELS) == set(ACTOR_ICONS) == set(PANEL_ORDER) == set(ACTORS)
    assert len(PANEL_ORDER) == len(ACTORS) and PANEL_ORDER[0] == "national"
