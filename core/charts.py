"""Small bar charts drawn on the server as SVG: no JavaScript, no chart library, readable
without styles. `bar_chart` computes the geometry; `templates/core/_bar_chart.html` draws it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: float | None
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    top: float


def bar_chart(values, *, labels, width: int = 520, height: int = 64, gap: float = 1) -> BarChart:
    """One bar per value, scaled to the largest; a value of None draws no bar (no data), a 0
    a hairline, so an empty week is told apart from a missing one."""
    if len(values) != len(labels):
        raise ValueError("one label per value")
    top = max((value for value in values if value is not None), default=0)
    step = width / len(values) if values else width
    bars = []
    for index, (value, label) in enumerate(zip(values, labels, strict=True)):
        if value is None:
            continue
        bar_height = max(1.0, height * value / top) if top else 1.0
        bars.append(
            Bar(
                x=round(index * step, 2),
                y=round(height - bar_height, 2),
                width=round(max(step - gap, 1), 2),
                height=round(bar_height, 2),
                value=value,
                label=label,
            )
        )
    return BarChart(width=width, height=height, bars=bars, top=top)
