"""Charts of stored events as PNG or SVG bytes (matplotlib, Agg; no pyplot, so no global state).

    chart_png("air", events)        drones and missiles launched versus shot down, per day and claimant
    chart_png("territory", events)  territorial claims per week, by region
    chart_png("kinds", events)      events per kind per day
    chart_png("map", events)        the located events over country outlines

`chart_alt` gives each chart's text alternative. Country outlines come from the countryinfo package's
bundled GeoJSON, so nothing is downloaded.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from math import cos, radians
from typing import Any

from claimline.brief import (
    AIR_KEYS,
    AirDay,
    RegionWeek,
    air_days,
    format_number,
    kinds_per_day,
    region_label,
    territory_weeks,
)
from claimline.errors import BackendUnavailable, ClaimlineError
from claimline.model import KINDS, Event

CHARTS: tuple[str, ...] = ("air", "territory", "kinds", "map")

_KIND_COLOURS = dict(zip(KINDS, (
    "#d62728", "#ff7f0e", "#1f77b4", "#17becf", "#8c564b", "#9467bd",
    "#2ca02c", "#7f7f7f", "#bcbd22", "#e377c2", "#c7c7c7",
), strict=True))
_SERIES_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                   "#bcbd22", "#7f7f7f")
# Countries drawn on the map when they reach into its frame: the theatre and its neighbours.
_MAP_COUNTRIES = (
    "Ukraine", "Russia", "Belarus", "Moldova", "Romania", "Poland", "Slovakia", "Hungary", "Lithuania", "Latvia",
    "Estonia", "Finland", "Georgia", "Armenia", "Azerbaijan", "Kazakhstan", "Turkey", "Bulgaria", "Serbia",
    "Czech Republic", "Austria", "Germany", "Greece", "Syria", "Iraq", "Iran", "Jordan", "Saudi Arabia",
)
# The map frames the events around their median point; farther ones are named in the caption instead.
_MAP_HALF_WIDTH = 14.0
_MAP_HALF_HEIGHT = 8.0
_MAP_LABELS = 12


class UnknownChart(ClaimlineError):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(f"unknown chart {kind!r}; choose one of {', '.join(CHARTS)}")


@dataclass(frozen=True, slots=True)
class Period:
    first: date
    last: date

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


def chart_png(kind: str, events: Sequence[Event], *, date_from: date | None = None,
              date_to: date | None = None) -> bytes:
    """One chart of the events as PNG bytes; the period defaults to the events' own dates."""
    return _save(_figure(kind, events, _period(events, date_from, date_to)), "png")


def chart_svg(kind: str, events: Sequence[Event], *, date_from: date | None = None,
              date_to: date | None = None) -> bytes:
    """One chart of the events as SVG bytes."""
    return _save(_figure(kind, events, _period(events, date_from, date_to)), "svg")


def chart_alt(kind: str, events: Sequence[Event], *, date_from: date | None = None,
              date_to: date | None = None) -> str:
    """A text alternative for the chart: what it shows and its largest values."""
    period = _period(events, date_from, date_to)
    span = f"{period.first.isoformat()} to {period.last.isoformat()}"
    if kind == "air":
        return _air_alt(air_days(events), span)
    if kind == "territory":
        return _territory_alt(territory_weeks(events), span)
    if kind == "kinds":
        counts = Counter(e.kind for e in events)
        listed = ", ".join(f"{kind} {n}" for kind, n in counts.most_common())
        return f"Stacked bar chart of events per kind per day, {span}: {listed or 'no events'}."
    if kind == "map":
        return _map_alt(events, span)
    raise UnknownChart(kind)


def _figure(kind: str, events: Sequence[Event], period: Period) -> Any:
    if kind == "air":
        return _air_figure(air_days(events), period)
    if kind == "territory":
        return _territory_figure(territory_weeks(events))
    if kind == "kinds":
        return _kinds_figure(events, period)
    if kind == "map":
        return _map_figure(events)
    raise UnknownChart(kind)


def _period(events: Sequence[Event], date_from: date | None, date_to: date | None) -> Period:
    starts = [e.when.start for e in events if e.when.start is not None]
    first = date_from or (min(starts) if starts else date.today())
    last = date_to or (max(starts) if starts else first)
    return Period(first, max(first, last))


def _new_figure(width: float, height: float) -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise BackendUnavailable("matplotlib", install="pip install 'claimline[brief]'") from exc
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _save(figure: Any, fmt: str) -> bytes:
    buffer = io.BytesIO()
    # no Software/Date metadata, so the same events always give the same bytes
    metadata = {"Software": None} if fmt == "png" else {"Creator": None, "Date": None}
    figure.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def _day_ticks(axes: Any, period: Period) -> None:
    days = period.days
    step = max(1, len(days) // 14)
    axes.set_xticks(range(0, len(days), step))
    axes.set_xticklabels([d.strftime("%d %b") for d in days[::step]], rotation=45, ha="right", fontsize=8)
    axes.set_xlim(-0.6, len(days) - 0.4)


def _air_figure(rows: Sequence[AirDay], period: Period) -> Any:
    """Two panels, drones and missiles; per day one bar pair (launched, shot down) per claimant."""
    figure = _new_figure(8.5, 5.2)
    panels = figure.subplots(2, 1, sharex=True)
    claimants = sorted({row.claimant for row in rows})
    colour = {c: _SERIES_COLOURS[i % len(_SERIES_COLOURS)] for i, c in enumerate(claimants)}
    index = {day: i for i, day in enumerate(period.days)}
    for axes, (weapon, launched, downed) in zip(panels, (("Drones", "drones", "drones_intercepted"),
                                                        ("Missiles", "missiles", "missiles_intercepted")),
                                                strict=True):
        for day, day_rows in _rows_by_day(rows, launched, downed).items():
            if day not in index:
                continue
            _air_bars(axes, index[day], day_rows, launched, downed, colour)
        axes.set_ylabel(weapon, fontsize=9)
        axes.margins(y=0.15)
        axes.grid(axis="y", alpha=0.3)
        axes.tick_params(labelsize=8)
    _day_ticks(panels[1], period)
    _air_legend(figure, claimants, colour)
    panels[0].set_title("Launched (solid) and shot down (hatched), as each claimant states", fontsize=10)
    return figure


def _rows_by_day(rows: Sequence[AirDay], *keys: str) -> dict[date, list[AirDay]]:
    by_day: dict[date, list[AirDay]] = {}
    for row in rows:
        if any(key in row.numbers for key in keys):
            by_day.setdefault(row.day, []).append(row)
    return by_day


def _air_bars(axes: Any, x: int, rows: Sequence[AirDay], launched: str, downed: str,
              colour: dict[str, str]) -> None:
    bars = [(row, key) for row in rows for key in (launched, downed) if key in row.numbers]
    width = 0.8 / len(bars)
    for i, (row, key) in enumerate(bars):
        value = row.numbers[key]
        left = x - 0.4 + i * width
        axes.bar(left, value, width=width, align="edge", color=colour[row.claimant],
                 hatch="///" if key == downed else None, alpha=0.55 if key == downed else 1.0,
                 edgecolor=colour[row.claimant])
        axes.annotate(format_number(value), (left + width / 2, value), ha="center", va="bottom", fontsize=7)


def _air_legend(figure: Any, claimants: Sequence[str], colour: dict[str, str]) -> None:
    from matplotlib.patches import Patch

    handles = [Patch(color=colour[c], label=c) for c in claimants]
    if handles:
        figure.legend(handles=handles, loc="outside lower center", ncols=min(3, len(handles)), fontsize=7,
                      frameon=False)


def _air_alt(rows: Sequence[AirDay], span: str) -> str:
    if not rows:
        return f"Bar chart of drones and missiles launched and shot down per day, {span}: no numbers reported."
    totals = Counter[str]()
    for row in rows:
        totals.update({key: row.numbers.get(key, 0) for key in AIR_KEYS})
    stated = ", ".join(f"{format_number(totals[key])} {key.replace('_', ' ')}" for key in AIR_KEYS)
    return (f"Bar chart of drones and missiles launched and shot down per day, by claimant, {span}. "
            f"Summed over claimants and days: {stated}. The table below gives each value.")


def _territory_figure(weeks: Sequence[RegionWeek]) -> Any:
    figure = _new_figure(8.5, 3.6)
    axes = figure.subplots()
    week_days = sorted({w.week for w in weeks})
    regions = sorted({w.region for w in weeks})
    bottom = [0] * len(week_days)
    for i, region in enumerate(regions):
        counts = {w.week: w.claims for w in weeks if w.region == region}
        heights = [counts.get(day, 0) for day in week_days]
        axes.bar(range(len(week_days)), heights, bottom=bottom, label=region,
                 color=_SERIES_COLOURS[i % len(_SERIES_COLOURS)], width=0.6)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_xticks(range(len(week_days)))
    axes.set_xticklabels([f"week of {d.strftime('%d %b %Y')}" for d in week_days], fontsize=8)
    axes.set_ylabel("territorial claims", fontsize=9)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.grid(axis="y", alpha=0.3)
    axes.tick_params(labelsize=8)
    if regions:
        axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return figure


def _territory_alt(weeks: Sequence[RegionWeek], span: str) -> str:
    if not weeks:
        return f"Bar chart of territorial claims per week by region, {span}: no territorial claims."
    parts = "; ".join(f"week of {w.week.isoformat()}, {w.region}: {w.claims}" for w in weeks)
    return f"Stacked bar chart of territorial claims per week by region, {span}. {parts}."


def _kinds_figure(events: Sequence[Event], period: Period) -> Any:
    figure = _new_figure(8.5, 3.4)
    axes = figure.subplots()
    per_day = kinds_per_day(events, period.first, period.last)
    days = period.days
    bottom = [0] * len(days)
    for kind in KINDS:
        heights = [per_day[day][kind] for day in days]
        if not any(heights):
            continue
        axes.bar(range(len(days)), heights, bottom=bottom, label=kind, color=_KIND_COLOURS[kind], width=0.7)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    _day_ticks(axes, period)
    axes.set_ylabel("events", fontsize=9)
    axes.grid(axis="y", alpha=0.3)
    axes.tick_params(labelsize=8)
    axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return figure


@dataclass(frozen=True, slots=True)
class _Frame:
    west: float
    east: float
    south: float
    north: float

    def holds(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north


def _located(events: Sequence[Event]) -> list[Event]:
    return [e for e in events if e.location is not None and e.location.lat is not None
            and e.location.lon is not None]


def _points(events: Sequence[Event]) -> list[tuple[float, float]]:
    return [(e.location.lon, e.location.lat) for e in events
            if e.location is not None and e.location.lon is not None and e.location.lat is not None]


def _frame(events: Sequence[Event]) -> _Frame:
    """A window around the median event, shrunk to the events inside it plus a margin."""
    points = _points(events)
    if not points:
        return _Frame(22.0, 40.5, 44.0, 52.5)  # Ukraine
    mid_lon = sorted(lon for lon, _ in points)[len(points) // 2]
    mid_lat = sorted(lat for _, lat in points)[len(points) // 2]
    window = _Frame(mid_lon - _MAP_HALF_WIDTH, mid_lon + _MAP_HALF_WIDTH,
                    mid_lat - _MAP_HALF_HEIGHT, mid_lat + _MAP_HALF_HEIGHT)
    inside = [(lon, lat) for lon, lat in points if window.holds(lon, lat)]
    margin = 1.5
    return _Frame(min(lon for lon, _ in inside) - margin, max(lon for lon, _ in inside) + margin,
                  min(lat for _, lat in inside) - margin, max(lat for _, lat in inside) + margin)


@cache
def _outline(country: str) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The country's polygon rings as (lon, lat) tuples, from countryinfo's bundled GeoJSON."""
    from countryinfo import CountryInfo

    features = CountryInfo(country).geo_json().get("features")
    if not features:  # a few countries ship without an outline
        return ()
    geometry = features[0]["geometry"]
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return tuple(tuple((float(x), float(y)) for x, y in polygon[0]) for polygon in polygons)


def _map_figure(events: Sequence[Event]) -> Any:
    located = _located(events)
    frame = _frame(located)
    figure = _new_figure(8.5, 5.6)
    axes = figure.subplots()
    _draw_countries(axes, frame)
    inside = [e for e in located if e.location and frame.holds(e.location.lon or 0.0, e.location.lat or 0.0)]
    for kind in KINDS:
        points = [e.location for e in inside if e.kind == kind and e.location]
        if points:
            axes.scatter([p.lon for p in points], [p.lat for p in points], s=22, color=_KIND_COLOURS[kind],
                         edgecolors="white", linewidths=0.5, label=kind, zorder=3, alpha=0.9)
    _label_places(axes, inside)
    axes.set_xlim(frame.west, frame.east)
    axes.set_ylim(frame.south, frame.north)
    axes.set_aspect(1 / cos(radians((frame.south + frame.north) / 2)))
    axes.tick_params(labelsize=7)
    axes.set_facecolor("#eef4f8")
    if inside:
        axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return figure


def _draw_countries(axes: Any, frame: _Frame) -> None:
    for country in _MAP_COUNTRIES:
        for ring in _outline(country):
            xs, ys = [p[0] for p in ring], [p[1] for p in ring]
            if max(xs) < frame.west or min(xs) > frame.east or max(ys) < frame.south or min(ys) > frame.north:
                continue
            axes.fill(xs, ys, facecolor="#fbfbf6", edgecolor="#9a9a9a", linewidth=0.6, zorder=1)
        label = _label_point(country, frame)
        if label:
            axes.annotate(country, label, fontsize=8, color="#8a8a8a", ha="center", zorder=2, style="italic")


def _label_point(country: str, frame: _Frame) -> tuple[float, float] | None:
    """Where to write a country's name: the middle of its largest ring, if that is in the frame."""
    rings = _outline(country)
    if not rings:
        return None
    ring = max(rings, key=len)
    lon = (min(p[0] for p in ring) + max(p[0] for p in ring)) / 2
    lat = (min(p[1] for p in ring) + max(p[1] for p in ring)) / 2
    if country == "Russia":  # the middle of Russia lies in Siberia; name it where the map is
        lon, lat = min(frame.east - 2.5, 40.0), min(frame.north - 1.0, 54.5)
    return (lon, lat) if frame.holds(lon, lat) else None


def _label_places(axes: Any, events: Sequence[Event]) -> None:
    counts = Counter(e.location.name for e in events if e.location and e.location.feature != "admin1")
    where = {e.location.name: (e.location.lon, e.location.lat) for e in events if e.location}
    for name, _n in counts.most_common(_MAP_LABELS):
        lon, lat = where[name]
        axes.annotate(name, (lon, lat), xytext=(3, 3), textcoords="offset points", fontsize=7, zorder=4)


def _map_alt(events: Sequence[Event], span: str) -> str:
    located = _located(events)
    frame = _frame(located)
    outside = sorted({e.location.name for e in located
                      if e.location and not frame.holds(e.location.lon or 0.0, e.location.lat or 0.0)})
    regions = Counter(region_label(e.location) for e in located)
    top = ", ".join(f"{region} {n}" for region, n in regions.most_common(6))
    text = (f"Map of {len(located)} located events, {span}, coloured by kind, over country outlines. "
            f"Most events by region: {top or 'none'}.")
    if outside:
        text += f" Outside the map area: {', '.join(outside)}."
    return text
