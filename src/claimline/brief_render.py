"""A Briefing as Markdown, self-contained HTML (charts as data URIs, so it works offline) or PDF.

Every line links to its citations, and the citations to an appendix that quotes the stored evidence
sentence under the anchor `ev-<event_id>`.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from claimline.brief import AIR_KEYS, AirDay, Briefing, Line, format_number
from claimline.errors import BackendUnavailable

FORMATS: tuple[str, ...] = ("md", "html", "pdf")

CHART_TITLES: dict[str, str] = {
    "air": "Drones and missiles launched and shot down, per day and claimant",
    "territory": "Territorial claims per week, by region",
    "kinds": "Events per kind, per day",
    "map": "Where the period's events took place",
}
AIR_COLUMNS: dict[str, str] = {
    "drones": "drones launched", "missiles": "missiles launched",
    "drones_intercepted": "drones shot down", "missiles_intercepted": "missiles shot down",
}
STATUS_NOTES: dict[str, str] = {
    "asserted": "",
    "claimed": "claimed",
    "hedged": "hedged",
    "unverified": "unverified",
    "denied": "denied",
    "disputed": "disputed",
}
_INSTALL = "pip install 'claimline[brief]'"


@dataclass(frozen=True, slots=True)
class Chart:
    kind: str
    title: str
    alt: str
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def charts(briefing: Briefing) -> list[Chart]:
    """The briefing's charts, drawn from its own events over its own period."""
    from claimline.charts import CHARTS, chart_alt, chart_png

    span = {"date_from": briefing.date_from, "date_to": briefing.date_to}
    return [Chart(kind, CHART_TITLES[kind], chart_alt(kind, briefing.events, **span),
                  chart_png(kind, briefing.events, **span)) for kind in CHARTS]


def day_label(first: date | None, last: date | None = None) -> str:
    """'3 Mar', '11–12 Mar', '23 Feb – 9 Mar', or 'undated'."""
    if first is None:
        return "undated"
    if last is None or last == first:
        return f"{first.day} {first:%b}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b}"
    return f"{first.day} {first:%b} – {last.day} {last:%b}"


def title(briefing: Briefing) -> str:
    where = f" — {briefing.place}" if briefing.place else ""
    return f"Briefing {briefing.date_from.isoformat()} to {briefing.date_to.isoformat()}{where}"


def glance(briefing: Briefing) -> str:
    """The opening sentence: how much the briefing rests on."""
    return (f"{len(briefing.events)} events from {briefing.documents} documents by {briefing.sources} sources, "
            f"dated {briefing.date_from.isoformat()} to {briefing.date_to.isoformat()}.")


def corroboration_note(line: Line) -> str:
    return f"{line.corroborations} sources agree" if line.corroborations > 1 else ""


def status_note(line: Line) -> str:
    note = STATUS_NOTES.get(line.status, line.status)
    if note and line.status_note and line.status != "claimed":
        note += f": {line.status_note}"
    return note


def air_cells(row: AirDay) -> list[str]:
    return [format_number(row.numbers[key]) if key in row.numbers else "–" for key in AIR_KEYS]


def citation_numbers(briefing: Briefing) -> dict[str, int]:
    """Each cited event's number in the appendix (1-based)."""
    return {citation.event_id: i for i, citation in enumerate(briefing.citations, start=1)}


def render_markdown(briefing: Briefing, chart_paths: Mapping[str, str] | None = None,
                    chart_alts: Mapping[str, str] | None = None) -> str:
    """The briefing as Markdown; charts are linked from `chart_paths` (kind → relative path) if given."""
    numbers = citation_numbers(briefing)
    out = [f"# {title(briefing)}", "", glance(briefing), "", _md_legend(), ""]
    out += _md_counts(briefing)
    for kind, path in (chart_paths or {}).items():
        alt = (chart_alts or {}).get(kind, CHART_TITLES[kind]).replace("]", ")").replace("[", "(")
        out += [f"### {CHART_TITLES[kind]}", "", f"![{alt}]({path})", ""]
    out += _md_air(briefing, numbers)
    for section in briefing.sections:
        out += [f"## {section.title}", ""]
        for group in section.groups:
            if group.title:
                out += [f"### {group.title}", ""]
            out += [_md_line(line) for line in group.lines] + [""]
    out += _md_appendix(briefing, numbers)
    return "\n".join(out).rstrip() + "\n"


def _md_legend() -> str:
    return ("Each line is one claim as the event store records it, followed by its status (claimed, hedged, "
            "unverified, denied, **disputed**; nothing means reported as fact), how many sources agree, and "
            "links to the evidence quoted under [Evidence](#evidence).")


def _md_counts(briefing: Briefing) -> list[str]:
    rows = ["| kind | events |", "|---|---:|"] + [f"| {kind} | {n} |" for kind, n in briefing.kind_counts]
    return ["## At a glance", "", *rows, ""]


def _md_air(briefing: Briefing, numbers: Mapping[str, int]) -> list[str]:
    if not briefing.air_days:
        return []
    head = "| day | claimant | " + " | ".join(AIR_COLUMNS[key] for key in AIR_KEYS) + " | cited |"
    rows = [head, "|---|---|" + "---:|" * len(AIR_KEYS) + "---|"]
    for row in briefing.air_days:
        cited = " ".join(f"[{numbers[e]}](#ev-{e})" for e in row.event_ids if e in numbers)
        rows.append(f"| {day_label(row.day)} | {row.claimant} | " + " | ".join(air_cells(row)) + f" | {cited} |")
    return ["## Drones and missiles, as claimed", "", *rows, ""]


def _md_line(line: Line) -> str:
    parts = [f"- **{day_label(line.day, line.day_end)}** · {line.text}"]
    if line.quote is not None:
        parts.append(f" “{line.quote.evidence}”")
    status = status_note(line)
    if status:
        parts.append(f" **[{status}]**" if line.status == "disputed" else f" _[{status}]_")
    agree = corroboration_note(line)
    if agree:
        parts.append(f" · {agree}")
    parts.append(" · " + "; ".join(f"[{c.label}](#ev-{c.event_id})" for c in line.citations))
    return "".join(parts)


def _md_appendix(briefing: Briefing, numbers: Mapping[str, int]) -> list[str]:
    out = ["## Evidence", ""]
    for citation in briefing.citations:
        link = f" · <{citation.url}>" if citation.url else ""
        out += [
            f'<a id="ev-{citation.event_id}"></a>**{numbers[citation.event_id]}.** {citation.label} '
            f"({citation.attribution}) · `{citation.doc_id}` characters {citation.start}–{citation.end}{link}",
            "",
            f"> {citation.evidence}",
            "",
        ]
    return out


def render_html(briefing: Briefing, drawn: list[Chart] | None = None) -> str:
    """The briefing as one self-contained HTML page (charts embedded, no outside resources)."""
    try:
        import jinja2
    except ImportError as exc:
        raise BackendUnavailable("jinja2", install=_INSTALL) from exc
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("claimline", "templates"), autoescape=True,
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    template = environment.get_template("brief.html.j2")
    return template.render(**_html_context(briefing, charts(briefing) if drawn is None else drawn))


def _html_context(briefing: Briefing, drawn: list[Chart]) -> dict[str, Any]:
    return {
        "briefing": briefing, "title": title(briefing), "glance": glance(briefing), "charts": drawn,
        "numbers": citation_numbers(briefing), "air_columns": [AIR_COLUMNS[key] for key in AIR_KEYS],
        "air_cells": air_cells, "day_label": day_label, "status_note": status_note,
        "corroboration_note": corroboration_note,
    }


def render_pdf(briefing: Briefing, html: str | None = None) -> bytes:
    """The HTML briefing printed to PDF by WeasyPrint."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint is there but Pango is not
        raise BackendUnavailable("weasyprint", install=f"{_INSTALL}, and Debian's libpango-1.0-0") from exc
    document = weasyprint.HTML(string=html if html is not None else render_html(briefing))
    pdf: bytes = document.write_pdf()
    return pdf


def write_briefing(briefing: Briefing, fmt: str, output: Path) -> list[Path]:
    """Write the briefing to `output`; Markdown gets its charts as PNG files in `<stem>_charts/`.

    Returns every file written.
    """
    if fmt == "md":
        return _write_markdown(briefing, output)
    if fmt == "html":
        output.write_text(render_html(briefing), encoding="utf-8")
    elif fmt == "pdf":
        output.write_bytes(render_pdf(briefing))
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return [output]


def _write_markdown(briefing: Briefing, output: Path) -> list[Path]:
    folder = output.with_name(f"{output.stem}_charts")
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    paths: dict[str, str] = {}
    alts: dict[str, str] = {}
    for chart in charts(briefing):
        path = folder / f"{chart.kind}.png"
        path.write_bytes(chart.png)
        written.append(path)
        paths[chart.kind] = f"{folder.name}/{path.name}"
        alts[chart.kind] = chart.alt
    output.write_text(render_markdown(briefing, paths, alts), encoding="utf-8")
    return [output, *written]
