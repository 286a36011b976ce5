"""One printed line per figure: the value, the floor's value and the ratio, and the budget."""
from __future__ import annotations

WIDTH = 62


def figure(name: str, value: float, unit: str, *, budget: float | None = None, floor: float | None = None,
           ratio_budget: float | None = None, note: str = "") -> None:
    text = f"{name:<{WIDTH}} {value:10.1f} {unit:<3}"
    verdicts = []
    if floor is not None:
        ratio = value / floor if floor else float("inf")
        text += f" | floor {floor:8.1f} {unit:<3} | {ratio:6.2f}x"
        if ratio_budget is not None:
            verdicts.append(f"budget {ratio_budget:g}x: {'within' if ratio <= ratio_budget else 'OVER'}")
    if budget is not None:
        verdicts.append(f"budget {budget:g} {unit}: {'within' if value <= budget else 'OVER'}")
    if verdicts:
        text += " (" + "; ".join(verdicts) + ")"
    print(text + (f"  {note}" if note else ""), flush=True)


def fact(name: str, value: object) -> None:
    print(f"{name:<{WIDTH}} {value}", flush=True)


def missing(name: str, reason: str) -> None:
    """A figure that could not be measured says so, on its own line."""
    print(f"{name:<{WIDTH}} not measured: {reason}", flush=True)


def heading(text: str) -> None:
    print(f"\n== {text}", flush=True)
