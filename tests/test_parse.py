"""The source-format parser: the seed, a second document, and malformed input."""
from __future__ import annotations

import pytest

from dashboard.parse import ParseError, parse_document
from helpers import FIXTURES, NAMES, SEED


@pytest.fixture(scope="module")
def seed_reports():
    return parse_document(SEED.read_text(encoding="utf-8"), "seed.txt", NAMES.resolve)


def test_seed_has_87_recommendations(seed_reports):
    assert sum(len(r.recommendations) for r in seed_reports) == 87


@pytest.mark.parametrize("position, expected", [
    (1, [("international", 11), ("FRA", 18), ("MTQ", 14), ("ITA", 13), ("GUY", 4), ("private", 11)]),
    (2, [("international", 3), ("MEX+ARG", 9), ("private", 4)]),
])
def test_seed_section_counts(seed_reports, position, expected):
    assert seed_reports[position - 1].section_counts() == expected


def test_seed_partners(seed_reports):
    assert [r.partners for r in seed_reports] == [("FRA", "MTQ", "ITA", "GUY"), ("MEX", "ARG")]


# (report, section, first EN, first FR, last EN, last FR) -- the texts' openings and endings.
SECTION_ENDS = [
    (1, "international", "Inclusion of topics of gender-based violence", "Inclusion des thèmes de la violence sexiste",
     "especially those located in fragile territories prone to sex tourism.", "situées dans des territoires fragiles sujets au tourisme sexuel."),
    (1, "FRA", "The definition of a national and territorial governance framework, at department level.",
     "La définition d'un cadre de gouvernance nationale et territoriale, à l'échelle du département.",
     "Raise awareness of human trafficking, sexual exploitation and sex tourism in the territories through large-scale campaigns.",
     "Sensibiliser les territoires à la traite des êtres humains, à l'exploitation sexuelle et au tourisme sexuel par des campagnes de grande ampleur."),
    (1, "MTQ", "strengthening of the abolitionist law (implemented the commission in Guyana and Guadeloupe).",
     "Renforcement de la loi abolitionniste en Martinique (mise en place de commission en Guyane et en Guadeloupe).",
     "Improve accessibility to data already collected on the territory.",
     "Améliorer l'accessibilité aux données déjà collectées sur le territoire."),
    (1, "ITA", "Definition of a national and territorial governance framework.",
     "Définition d'un cadre de gouvernance national et territorial.",
     "Reinforcement of education workshops on emotional and sexual life in schools.",
     "Renforcement des ateliers d'éducation à la vie affective et sexuelle dans les écoles."),
    (1, "GUY", "Strengthening the capacity of law enforcement agencies", "Renforcer la capacité des forces de l'ordre",
     "in the mining and vulnerable communities.", "dans les communautés minières et vulnérables."),
    (1, "private", "Awareness Raising and training of any employee concerning Human trafficking and SE",
     "Sensibilisation et formation des employés concernant la traite",
     "especially in territories prone to sex tourism and human trafficking.", "en particulier dans les territoires sujets au tourisme sexuel et à la traite des êtres humains."),
    (2, "international", "Promoting the exchange of information with countries", "Promouvoir l'échange d'informations avec les pays",
     "Creation of a platform for the exchange and consultation of missing persons bases in different countries.",
     "Création d'une plateforme d'échange et de consultation des bases de données sur les personnes disparues dans différents pays."),
    (2, "MEX+ARG", "Include the identification of gender-based violence", "Inclure l'identification de la violence fondée sur le genre",
     "Campaigns to prevent child sexual abuse from continuing to be a standard practice in society.",
     "Campagnes visant à empêcher que les abus sexuels sur les enfants ne restent une pratique courante dans la société."),
    (2, "private", "The implementation of anti-trafficking campaigns for socially responsible companies .",
     "Mise en œuvre de campagnes de lutte contre la traite des êtres humains pour les entreprises socialement responsables.",
     "Promote internal policies that prevent participation in activities suspected of involvement with sexual exploitation.",
     "Promouvoir des politiques internes qui empêchent la participation à des activités soupçonnées d'être liées à l'exploitation sexuelle."),
]


@pytest.mark.parametrize("report, section, first_en, first_fr, last_en, last_fr", SECTION_ENDS)
def test_seed_first_and_last_item_of_every_section(seed_reports, report, section, first_en, first_fr, last_en, last_fr):
    recs = [r for r in seed_reports[report - 1].recommendations if ("+".join(r.codes) or r.actor) == section]
    first, last = recs[0], recs[-1]
    assert first.number == 1 and last.number == len(recs)
    assert first.text_en.startswith(first_en) and first.text_fr.startswith(first_fr)
    assert last.text_en.endswith(last_en) and last.text_fr.endswith(last_fr)


def test_texts_are_verbatim_without_numbering(seed_reports):
    text = SEED.read_text(encoding="utf-8")
    for report in seed_reports:
        for rec in report.recommendations:
            assert rec.text_en == rec.text_en.strip() and rec.text_en in text
            assert rec.text_fr == rec.text_fr.strip() and rec.text_fr in text
            assert not rec.text_en[0].isdigit() and not rec.text_en.startswith("-")


def test_page_header_in_the_middle_of_a_list_is_skipped(seed_reports):
    mtq = [r for r in seed_reports[0].recommendations if r.codes == ("MTQ",)]
    assert [r.number for r in mtq] == list(range(1, 15))
    assert mtq[7].text_en.startswith("Reinforcement of health support")
    assert mtq[4].text_fr.startswith("Hébergement d'urgence")


def test_second_document_with_new_countries_and_an_overseas_territory():
    reports = parse_document((FIXTURES / "second_report.txt").read_text(encoding="utf-8"), "second.txt", NAMES.resolve)
    assert len(reports) == 1
    report = reports[0]
    assert report.partners == ("ESP", "REU", "MAR", "TUN")
    assert report.section_counts() == [("international", 2), ("ESP", 2), ("REU", 2), ("MAR+TUN", 1), ("private", 1)]
    reu = [r for r in report.recommendations if r.codes == ("REU",)]
    assert reu[1].text_en == "Run prevention workshops in secondary schools."
    assert reu[1].text_fr == "Organiser des ateliers de prévention dans les collèges et lycées."


@pytest.mark.parametrize("heading, codes", [
    ("FRANCE", ("FRA",)),
    ("MARTINIQUE – FRANCE", ("MTQ",)),
    ("FRANCE – MARTINIQUE", ("MTQ",)),
    ("MEXICO AND ARGENTINA", ("MEX", "ARG")),
    ("MEXIQUE ET ARGENTINE", ("MEX", "ARG")),
    ("ITALIE", ("ITA",)),
    ("GUYANA", ("GUY",)),
    ("GUYANE", ("GUF",)),
    ("SPAIN", ("ESP",)),
    ("ESPAGNE", ("ESP",)),
    ("RÉUNION – FRANCE", ("REU",)),
    ("LA RÉUNION", ("REU",)),
    ("Reunion - France", ("REU",)),
    ("SPAIN, MOROCCO & TUNISIA", ("ESP", "MAR", "TUN")),
    ("TRINIDAD AND TOBAGO AND GUYANA", ("TTO", "GUY")),  # "and" inside a name, then between names
    ("GUYANA ET TRINITÉ-ET-TOBAGO", ("GUY", "TTO")),
    ("BOSNIA AND HERZEGOVINA", ("BIH",)),
])
def test_heading_resolution(heading, codes):
    assert NAMES.resolve(heading) == codes


@pytest.mark.parametrize("heading, message", [
    ("ATLANTIS", "unknown territory 'ATLANTIS'"),
    ("SPAIN – ITALY", "none is a territory of the other"),
    ("MEXICO AND NARNIA", "unknown territory 'NARNIA'"),
    ("NARNIA AND MEXICO", "unknown territory 'NARNIA'"),
    ("TRINIDAD AND NARNIA", "unknown territory 'TRINIDAD'"),
])
def test_heading_resolution_errors(heading, message):
    with pytest.raises(ValueError, match=message):
        NAMES.resolve(heading)


GOOD = (FIXTURES / "second_report.txt").read_text(encoding="utf-8")


def _line_of(text: str, needle: str, index: int) -> int:
    """The line number of the index-th line (0-based, -1 for the last) that starts with needle."""
    hits = [i for i, line in enumerate(text.split("\n"), 1) if line.strip().startswith(needle)]
    return hits[index]


# (name, transform of the good document, (start of the expected line, its index among such lines), expected message fragment)
MALFORMED = [
    ("gap in numbering", lambda t: t.replace("2. Open shelters", "3. Open shelters"),
     ("3. Open shelters", 0), "expected item 2 of 'SPAIN', found 3 (a gap in the numbering)"),
    ("duplicate number", lambda t: t.replace("2. Ouvrir des foyers", "1. Ouvrir des foyers"),
     ("1. Ouvrir des foyers", 0), "expected item 2 of 'ESPAGNE', found 1 (a duplicate in the numbering)"),
    ("count mismatch", lambda t: t.replace("2. Organiser des ateliers de prévention dans les collèges et lycées.\n", ""),
     ("FRANCE – RÉUNION", 0), "section 'RÉUNION – FRANCE' has 2 items in English"),
    ("unknown territory", lambda t: t.replace("MOROCCO AND TUNISIA", "MOROCCO AND ATLANTIS"),
     ("MOROCCO AND ATLANTIS", 0), "unknown territory 'ATLANTIS'"),
    ("french territory differs", lambda t: t.replace("MAROC ET TUNISIE", "MAROC ET ESPAGNE"),
     ("MAROC ET ESPAGNE", 0), "has no English counterpart"),
    ("unnumbered line", lambda t: t.replace("1. Audit seasonal", "Audit seasonal"),
     ("Audit seasonal", 0), "not a numbered item, a section heading or a page header"),
    ("item before territory heading", lambda t: t.replace("SPAIN\n", ""),
     ("1. Train labour inspectors", 0), "comes before any territory heading"),
    ("territory heading outside national", lambda t: t.replace("1- Harmonise", "ITALY\n\n1- Harmonise"),
     ("ITALY", 0), "outside the national / local institutions section"),
    ("missing French block", lambda t: t[: t.index("Les recommandations")],
     ("ENG", 0), "has an English block but no French block"),
    ("missing private section", lambda t: t.replace("3. Entreprises / Secteur privé\n\n1. Auditer les agences de recrutement saisonnier.\n", ""),
     ("FR", 0), "the French block has no 'Companies / Private Sector' section"),
    ("sections out of order", lambda t: t.replace("2. National / Local Institutions", "3. Companies / Private Sector\n\n1. Something.\n\n2. National / Local Institutions"),
     ("2. National / Local Institutions", 0), "comes after 'Companies / Private Sector'"),
    ("text before language marker", lambda t: "Preface without marker\n" + t,
     ("Preface without marker", 0), "text before the first language marker"),
    ("item without text", lambda t: t.replace("1. Auditer les agences de recrutement saisonnier.", "1."),
     ("1.", -1), "item 1 has no text"),
    ("French block first", lambda t: t[t.index("Les recommandations"):] + "\n" + t[: t.index("Les recommandations")],
     ("FR", 0), "starts with a French block"),
    ("empty document", lambda t: "\n\n", None, "no report found"),
    ("repeated territory", lambda t: t.replace("MOROCCO AND TUNISIA", "SPAIN"),
     ("SPAIN", 1), "repeats the section at line"),
    ("two english blocks in a row", lambda t: t.replace("Les recommandations\n\nFR", "Recommendations\n\nENG"),
     ("1. Autorités internationales", 0), "second 'International Authorities' section in the English block"),
    ("numbering from zero", lambda t: t.replace("1. Protect migrant women", "0. Protect migrant women"),
     ("0. Protect migrant women", 0), "found 0 (numbering starts at 1)"),
    # a PDF's page breaks (form feeds) and a line separator inside an item do not shift the line numbers
    ("line numbers after form feeds", lambda t: t.replace("\n\n", "\n\f\n", 5).replace("Audit seasonal", "Audit\u2028seasonal")
     .replace("MOROCCO AND TUNISIA", "MOROCCO AND ATLANTIS"), ("MOROCCO AND ATLANTIS", 0), "unknown territory 'ATLANTIS'"),
]


@pytest.mark.parametrize("name, transform, where, message", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_documents_fail_at_the_right_line(name, transform, where, message):
    bad = transform(GOOD)
    with pytest.raises(ParseError) as info:
        parse_document(bad, "bad.txt", NAMES.resolve)
    error = info.value
    assert message in error.message
    if where is not None:
        assert error.line == _line_of(bad, *where)
    assert str(error) == f"bad.txt:{error.line}: {error.message}"


def test_an_item_that_opens_like_a_section_heading_stays_an_item():
    text = GOOD.replace("1. Protect migrant women at the borders.", "1. International authorities should protect migrant women.")
    report = parse_document(text, "good.txt", NAMES.resolve)[0]
    item = next(r for r in report.recommendations if r.codes == ("MAR", "TUN"))
    assert item.text_en == "International authorities should protect migrant women."
