"""Resolve territory headings ("MARTINIQUE – FRANCE", "MEXIQUE ET ARGENTINE") to ISO alpha-3 codes."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .text import words

# Names people write that differ from the English and French names in territories.csv.
ALIASES = {
    "usa": "USA", "us": "USA", "united states of america": "USA", "etats unis": "USA",
    "etats unis d amerique": "USA", "uk": "GBR", "great britain": "GBR", "royaume uni": "GBR",
    "england": "GBR", "angleterre": "GBR", "guyane": "GUF", "french guyana": "GUF",
    "holland": "NLD", "hollande": "NLD", "ivory coast": "CIV", "cote d ivoire": "CIV",
    "russian federation": "RUS", "federation de russie": "RUS", "czech republic": "CZE",
    "republique tcheque": "CZE", "burma": "MMR", "birmanie": "MMR",
    "republic of guyana": "GUY", "co operative republic of guyana": "GUY",
    "republique cooperative du guyana": "GUY",
}
_JOINERS = re.compile(r"(\s+(?:and|et|y|e)\s+|\s*[,&/]\s*)", re.IGNORECASE)
_DASHES = re.compile(r"\s+[-–—]\s+|\s*[–—]\s*")


def _key(name: str) -> str:
    return " ".join(words(name))


class TerritoryNames:
    """An index of English, French and alias names to codes, with each territory's parent."""

    def __init__(self, rows: Iterable[Mapping[str, str]]):
        self.by_name: dict[str, str] = {}
        self.parent: dict[str, str] = {}
        for row in rows:
            code = row["code"]
            self.parent[code] = row.get("parent") or ""
            for name in (row.get("name_en"), row.get("name_fr")):
                if name:
                    self.by_name.setdefault(_key(name), code)
        for alias, code in ALIASES.items():
            if code in self.parent:
                self.by_name.setdefault(alias, code)

    def resolve(self, heading: str) -> tuple[str, ...]:
        """Codes named by a heading; raise ValueError naming what is unknown."""
        whole = self.by_name.get(_key(heading))
        if whole:
            return (whole,)
        pieces = _JOINERS.split(heading)  # names at even positions, the joiners between them at odd ones
        names, joiners = pieces[0::2], pieces[1::2]
        codes = self._resolve_run(names, joiners, 0, heading)
        return tuple(dict.fromkeys(codes))

    def _resolve_run(self, names: list[str], joiners: list[str], start: int, heading: str) -> list[str]:
        """Codes of names[start:], grouping neighbours back into one name where that is what resolves
        ("TRINIDAD AND TOBAGO AND GUYANA"); the longest name that resolves wins."""
        if start == len(names):
            return []
        if not names[start].strip():
            return self._resolve_run(names, joiners, start + 1, heading)
        first_error = None
        for end in range(len(names), start, -1):
            candidate = "".join(n + j for n, j in zip(names[start:end], joiners[start:end - 1] + [""]))
            try:
                return [self._resolve_part(candidate, heading)] + self._resolve_run(names, joiners, end, heading)
            except ValueError as exc:
                if end == start + 1 and first_error is None:
                    first_error = exc
        raise first_error

    def _resolve_part(self, part: str, heading: str) -> str:
        code = self.by_name.get(_key(part))
        if code:
            return code
        pieces = [p for p in _DASHES.split(part) if p.strip()]
        if len(pieces) < 2:
            raise ValueError(f"unknown territory {part.strip()!r} in heading {heading!r}: "
                             "no country or territory has this English or French name")
        codes = [self._resolve_part(p, heading) for p in pieces]
        # "MARTINIQUE – FRANCE" and "FRANCE – MARTINIQUE" both name the overseas territory.
        children = [c for c in codes if self.parent.get(c) and self.parent[c] in codes]
        if len(children) == 1 and all(c == children[0] or c == self.parent[children[0]] for c in codes):
            return children[0]
        if len(set(codes)) == 1:
            return codes[0]
        raise ValueError(f"heading {heading!r} joins {', '.join(codes)} with a dash, but none is a territory "
                         "of the other; write 'A AND B' for a section shared by two countries")
