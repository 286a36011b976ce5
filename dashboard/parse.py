"""Parse the partner-report text format into aligned bilingual recommendations.

The format: one or more reports, each an English block then a French block.
A block opens with a language marker ("ENG" / "FR", usually under a page title)
and holds three numbered actor sections; the national one is split by
upper-case territory headings. Page headers repeat in the middle of lists.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from .domain import ACTORS
from .text import fold

LANG_NAMES = {"en": "English", "fr": "French"}
ACTOR_NAMES = {
    "international": "International Authorities",
    "national": "National / Local Institutions",
    "private": "Companies / Private Sector",
}

_LANG_MARKERS = {"eng": "en", "en": "en", "english": "en", "fr": "fr", "fra": "fr", "francais": "fr"}
_PAGE_TITLES = {"recommendations", "les recommandations"}
_NUMBERED = re.compile(r"^(?:[-–]\s*)?(\d{1,3})\s*[.\-–)]\s*(?!\d)(.*?)\s*$")
# A heading is the whole line, bar a parenthesis ("(such as: European Union, …)"): an item that opens
# with the same words ("1. International authorities should …") stays an item.
_HEADING_END = r"\s*(\(.*\))?\s*[:.]?$"
_ACTOR_HEADINGS = (
    ("international", re.compile(r"^(international authorit(y|ies)|autorites? internationales?)" + _HEADING_END)),
    ("national", re.compile(r"^(national\s*/\s*local institutions?|institutions nationales( et locales)?)" + _HEADING_END)),
    ("private", re.compile(r"^(companies\s*/\s*private sector|entreprises\s*/\s*secteur prive)" + _HEADING_END)),
)

Resolver = Callable[[str], tuple[str, ...]]


class ParseError(ValueError):
    """A problem in the source document, located at a line."""

    def __init__(self, source: str, line: int, message: str):
        super().__init__(f"{source}:{line}: {message}")
        self.source, self.line, self.message = source, line, message


@dataclass
class _Item:
    number: int
    text: str
    line: int


@dataclass
class _Section:
    actor: str
    codes: tuple[str, ...]  # territory codes for a national section, () otherwise
    heading: str
    line: int
    items: list[_Item] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, frozenset[str]]:
        return self.actor, frozenset(self.codes)


@dataclass
class _Block:
    lang: str
    line: int
    actor_lines: dict[str, int] = field(default_factory=dict)
    sections: list[_Section] = field(default_factory=list)


@dataclass(frozen=True)
class Recommendation:
    report: int  # position of the report in the document, from 1
    actor: str
    codes: tuple[str, ...]  # the territories of a national section; () when shared
    number: int
    text_en: str
    text_fr: str
    line_en: int
    line_fr: int


@dataclass(frozen=True)
class Report:
    position: int
    line: int
    partners: tuple[str, ...]
    recommendations: tuple[Recommendation, ...]

    def section_counts(self) -> list[tuple[str, int]]:
        """(label, count) per section in document order: 'international', 'FRA', 'MEX+ARG', 'private'."""
        counts: dict[str, int] = {}
        for rec in self.recommendations:
            label = "+".join(rec.codes) if rec.codes else rec.actor
            counts[label] = counts.get(label, 0) + 1
        return list(counts.items())


def parse_document(text: str, source: str, resolve: Resolver) -> list[Report]:
    """Parse a whole document; raise ParseError at the first problem."""
    # Only line feeds end lines: str.splitlines() also splits at form feeds (page breaks in text from a PDF)
    # and U+2028, which would shift every line number after them.
    blocks = _read_blocks(re.split(r"\r\n|\r|\n", text), source, resolve)
    return [_align(source, position, en, fr) for position, (en, fr) in enumerate(_pair(blocks, source), 1)]


def _read_blocks(lines: list[str], source: str, resolve: Resolver) -> list[_Block]:
    blocks: list[_Block] = []
    block: _Block | None = None
    section: _Section | None = None
    in_national = False

    def fail(line: int, message: str):
        raise ParseError(source, line, message)

    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        folded = fold(line)
        if folded in _PAGE_TITLES:
            continue
        if folded in _LANG_MARKERS:
            lang = _LANG_MARKERS[folded]
            if block is not None and block.lang == lang:
                continue  # a page header repeated inside the block
            if block is not None:
                _check_block(block, source)
            block = _Block(lang, lineno)
            blocks.append(block)
            section, in_national = None, False
            continue
        if block is None:
            fail(lineno, f"text before the first language marker (ENG or FR): {_quote(line)}")
        numbered = _NUMBERED.match(line)
        if numbered:
            number, rest = int(numbered.group(1)), numbered.group(2)
            actor = _actor_heading(rest)
            if actor:
                _open_actor(block, actor, lineno, fail)
                in_national = actor == "national"
                section = None if in_national else _add_section(block, actor, (), line, lineno, fail)
                continue
            if not rest:
                fail(lineno, f"item {number} has no text")
            if not block.actor_lines:
                fail(lineno, "numbered item before any actor section heading (e.g. '1. International Authorities')")
            if section is None:
                fail(lineno, f"item {number} comes before any territory heading in the national section")
            expected = len(section.items) + 1
            if number != expected:
                what = "numbering starts at 1" if number == 0 else "a duplicate in the numbering" if number < expected else "a gap in the numbering"
                fail(lineno, f"expected item {expected} of {section.heading!r}, found {number} ({what})")
            section.items.append(_Item(number, rest, lineno))
            continue
        if _is_territory_heading(line):
            if not in_national:
                fail(lineno, f"territory heading {_quote(line)} outside the national / local institutions section")
            try:
                codes = resolve(line)
            except ValueError as exc:
                fail(lineno, str(exc))
            section = _add_section(block, "national", codes, line, lineno, fail)
            continue
        fail(lineno, f"not a numbered item, a section heading or a page header: {_quote(line)}")
    if block is None:
        raise ParseError(source, max(len(lines), 1), "no report found: the document has no ENG or FR block")
    _check_block(block, source)
    return blocks


def _actor_heading(rest: str) -> str | None:
    folded = fold(rest)
    for actor, pattern in _ACTOR_HEADINGS:
        if pattern.match(folded):
            return actor
    return None


def _is_territory_heading(line: str) -> bool:
    return not any(c.isdigit() for c in line) and any(c.isalpha() for c in line) and line == line.upper()


def _open_actor(block: _Block, actor: str, lineno: int, fail) -> None:
    lang = LANG_NAMES[block.lang]
    if actor in block.actor_lines:
        hint = " (is a French block missing between two reports?)" if actor == "international" else ""
        fail(lineno, f"second {ACTOR_NAMES[actor]!r} section in the {lang} block that starts at line {block.line}{hint}")
    position = ACTORS.index(actor)
    for later in ACTORS[position + 1:]:
        if later in block.actor_lines:
            fail(lineno, f"section {ACTOR_NAMES[actor]!r} comes after {ACTOR_NAMES[later]!r}; the order is international, national, private")
    block.actor_lines[actor] = lineno


def _add_section(block: _Block, actor: str, codes: tuple[str, ...], heading: str, lineno: int, fail) -> _Section:
    new = _Section(actor, tuple(codes), heading, lineno)
    for old in block.sections:
        if old.key == new.key:
            fail(lineno, f"territory heading {_quote(heading)} repeats the section at line {old.line}")
    block.sections.append(new)
    return new


def _check_block(block: _Block, source: str) -> None:
    lang = LANG_NAMES[block.lang]
    for actor in ACTORS:
        if actor not in block.actor_lines:
            raise ParseError(source, block.line, f"the {lang} block has no {ACTOR_NAMES[actor]!r} section")
    if not any(s.actor == "national" for s in block.sections):
        raise ParseError(source, block.actor_lines["national"], "the national section has no territory heading")
    for section in block.sections:
        if not section.items:
            raise ParseError(source, section.line, f"section {section.heading!r} has no numbered item")


def _pair(blocks: list[_Block], source: str) -> list[tuple[_Block, _Block]]:
    pairs = []
    for i in range(0, len(blocks), 2):
        en = blocks[i]
        if en.lang != "en":
            raise ParseError(source, en.line, f"report {i // 2 + 1} starts with a French block; each report is an English block then a French block")
        if i + 1 >= len(blocks):
            raise ParseError(source, en.line, f"report {i // 2 + 1} has an English block but no French block")
        pairs.append((en, blocks[i + 1]))
    return pairs


def _align(source: str, position: int, en: _Block, fr: _Block) -> Report:
    fr_by_key = {s.key: s for s in fr.sections}
    en_keys = {s.key for s in en.sections}
    for section in fr.sections:
        if section.key not in en_keys:
            raise ParseError(source, section.line, f"report {position}: French section {section.heading!r} has no English counterpart")
    recommendations = []
    partners: list[str] = []
    for section in en.sections:
        twin = fr_by_key.get(section.key)
        if twin is None:
            raise ParseError(source, section.line, f"report {position}: English section {section.heading!r} has no French counterpart")
        if len(section.items) != len(twin.items):
            raise ParseError(
                source, twin.line,
                f"report {position}: section {section.heading!r} has {len(section.items)} items in English "
                f"(line {section.line}) but {len(twin.items)} in French ({twin.heading!r})",
            )
        for code in section.codes:
            if code not in partners:
                partners.append(code)
        for item_en, item_fr in zip(section.items, twin.items):
            recommendations.append(Recommendation(
                position, section.actor, section.codes, item_en.number,
                item_en.text, item_fr.text, item_en.line, item_fr.line,
            ))
    return Report(position, en.line, tuple(partners), tuple(recommendations))


def _quote(line: str) -> str:
    return repr(line if len(line) <= 60 else line[:57] + "...")
