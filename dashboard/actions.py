"""What a user's action does to a view state: pure functions, no Dash.

The browser numbers every click, key, filter change, map pick and Back or link, and sends all
those the page does not show yet (assets/atlas/actions.js). Dash keeps only the answer to the
latest request, so a request that overtakes an earlier one replays the earlier actions too: quick
presses (→ → →, a click then a chip, a reset then a tick) all count, in the order they were made.
An action that does not make sense (unknown kind, unknown code) changes nothing.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

from . import queries
from .data import Dataset
from .state import BY_NAME, FILTERS, MAX_MORE, MAX_TOUR_STEPS, ViewState, Vocabulary, parse_query, reset, set_control, tour_entry, tour_step

# More actions than a person can make in one round trip: a longer queue is a client's mistake.
MAX_PENDING = 100


def data_action(kind: str, **details) -> dict:
    """The attribute that makes a page element send this action when it is clicked."""
    return {"data-action": json.dumps({"kind": kind, **details}, separators=(",", ":"))}


def pick_action(kind: str, **details) -> dict:
    """The attribute that makes a list (a <select>) send this action, with the chosen value as `code`,
    when the user changes it."""
    return {"data-pick": json.dumps({"kind": kind, **details}, separators=(",", ":"))}


def seq_of(value) -> int:
    """An action number as a client sent it; 0 for anything but a whole number."""
    return value if type(value) is int and value > 0 else 0


def apply_pending(dataset: Dataset, vocab: Vocabulary, state: ViewState, applied: int,
                  actions: Iterable) -> tuple[ViewState, int]:
    """The state after every action numbered above `applied`, in order, and the last number applied."""
    pending = sorted((a for a in _numbered(actions) if a["seq"] > applied), key=lambda a: a["seq"])
    for action in pending:
        state, applied = apply(dataset, vocab, state, action), action["seq"]
    return state, applied


# What chooses the recommendations a list shows: when any of them changes, the list starts again at its first page.
_LISTED = FILTERS


def apply(dataset: Dataset, vocab: Vocabulary, state: ViewState, action: dict) -> ViewState:
    """The state after one action. "Show more" adds a page of cards, up to MAX_MORE; a new territory or
    filter starts the list again at its first page, except for a URL, which says itself what it shows."""
    after = _apply(dataset, vocab, state, action)
    if action.get("kind") not in ("url", "link") and after.more and any(
            getattr(after, name) != getattr(state, name) for name in _LISTED):
        return after.but(more=0)
    return after


def _apply(dataset: Dataset, vocab: Vocabulary, state: ViewState, action: dict) -> ViewState:
    kind, code, theme = (_text(action.get(key)) for key in ("kind", "code", "theme"))
    delta = action.get("delta") if type(action.get("delta")) is int else None
    name = _text(action.get("name"))
    if kind == "set":  # a filter control changed
        return set_control(state, name, action.get("value"), vocab)
    if kind == "tick" and name in BY_NAME and BY_NAME[name].multi and isinstance(action.get("on"), bool):
        value = _text(action.get("value"))  # one box of a checklist
        chosen = set(getattr(state, name)) - {value} | ({value} if action["on"] else set())
        return set_control(state, name, sorted(chosen, key=str), vocab)
    if kind == "compare" and action.get("side") in ("a", "b") and code in vocab.comparable:
        return _compare(dataset, state, action["side"], code)
    if kind in ("url", "link"):  # Back, Forward or a link inside the page: the URL's view, whatever came before
        query = _text(action.get("query"))
        if query is None:
            return state
        view = parse_query(query, vocab, state.browser_lang).state
        if kind == "link" and not view.present and not view.tour and view.step is None:
            # a link inside the page that names only a view keeps presenter mode and the tour
            return view.but(present=state.present, tour=state.tour, step=state.step)
        return view
    if kind == "territory" and code in vocab.territories:
        return state.but(territory=None if code == state.territory else code)
    if kind == "clear":
        return state.but(territory=None)
    if kind == "theme" and theme in vocab.themes:
        wanted = set(state.themes) ^ {theme}  # a chip turns its theme's filter on, or off again
        return state.but(themes=tuple(t for t in vocab.themes if t in wanted))
    if kind == "cell" and theme in vocab.themes and code in vocab.territories:
        return state.but(territory=code, themes=(theme,))
    if kind == "more":
        return state.but(more=min(state.more + 1, MAX_MORE))
    if kind == "next-theme":
        return state.but(themes=_next_theme(state.themes, vocab.themes))
    if kind == "map-reset":
        return state.but(region="world", territory=None)
    if kind == "present":  # the button toggles; Esc says "off", so that a second Esc before the answer keeps it off
        on = action.get("on")
        return state.but(present=on if isinstance(on, bool) else not state.present)
    if kind == "lang":
        return state.but(lang="fr" if state.lang == "en" else "en")
    if kind == "reset":  # every filter and the selection; the language, presenter mode and tour stay
        return reset(state)
    if kind == "tour-add":
        entry = tour_entry(state)
        if (state.tour and state.tour[-1] == entry) or len(state.tour) >= MAX_TOUR_STEPS:
            return state
        return state.but(tour=state.tour + (entry,))
    if kind == "tour-clear":
        return state.but(tour=(), step=None)
    if kind == "tour-step" and delta in (-1, 1):
        return _tour_step(state, delta, vocab)
    if kind == "next" and delta in (-1, 1):  # ← and → in presenter mode: the tour once it has steps, else the territories
        if state.tour:
            return _tour_step(state, delta, vocab)
        return _next_territory(dataset, state, delta)
    return state


def _numbered(actions: Iterable) -> list[dict]:
    """The actions that carry a whole-number `seq`; anything else a client sent is dropped."""
    if not isinstance(actions, list):
        return []
    return [a for a in actions[:MAX_PENDING] if isinstance(a, dict) and seq_of(a.get("seq"))]


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _compare(dataset: Dataset, state: ViewState, side: str, code: str) -> ViewState:
    """A pick in one of the comparison's lists. The pair on screen is the state's, else the first two
    territories with recommendations; picking the other side's territory swaps the sides."""
    shown = state.compare or tuple(dataset.mapped_codes[:2])
    pair = (code, shown[1]) if side == "a" else (shown[0], code)
    if pair == shown:
        return state
    return state.but(compare=shown[::-1] if pair[0] == pair[1] else pair)


def _tour_step(state: ViewState, delta: int, vocab: Vocabulary) -> ViewState:
    """The tour's next or previous step; a tour not started yet starts at its first step either way.
    Past the last step comes the end of the tour (step = len(tour)), which says so; ← comes back from it."""
    if not state.tour:
        return state
    step = 0 if state.step is None else max(0, min(len(state.tour), state.step + delta))
    return tour_step(state, step, vocab)


def _next_territory(dataset: Dataset, state: ViewState, delta: int) -> ViewState:
    """The next (or previous) territory of the list, going round; none selected starts at an end."""
    codes = queries.listed_territories(dataset, state)
    others = [c for c in codes if c != state.territory]
    if not others:
        return state  # the list holds only the selected territory: stay on it
    if state.territory is None:
        return state.but(territory=codes[0] if delta > 0 else codes[-1])
    return state.but(territory=codes[(codes.index(state.territory) + delta) % len(codes)])


def _next_theme(chosen: tuple[str, ...], themes: tuple[str, ...]) -> tuple[str, ...]:
    """T in presenter mode: one theme after another, then every theme again."""
    if len(chosen) != 1:
        return themes[:1]
    index = themes.index(chosen[0]) + 1
    return themes[index:index + 1]
