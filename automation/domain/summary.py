"""The board's figures (S8.3): counts only, never a name, an address or a workplace.

    rows = summary_rows(figures)          # [["Jaotis", "Näitaja", "Väärtus"], ...]
    svg = bar_chart_svg([("2027-01", 12), ("2027-02", 30)], title="Kohtumised kuus")
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from html import escape


@dataclass
class Figures:
    day: date
    registrations: Counter = field(default_factory=Counter)  # (role, status) -> count
    pairs: Counter = field(default_factory=Counter)  # status -> count
    meetings_per_month: dict[str, int] = field(default_factory=dict)  # "2027-01" -> count
    meetings_per_pair: Counter = field(default_factory=Counter)  # meetings -> pairs with that many
    attendance: list[tuple[str, str, int, int]] = field(default_factory=list)  # (date, event title, invited, attended)
    surveys: list = field(default_factory=list)  # SurveySummary: aggregated answers


MEETINGS_PER_MONTH = "Kohtumised kuus"


def summary_rows(figures: Figures) -> list[list[str]]:
    rows = [["Jaotis", "Näitaja", "Väärtus"]]
    for role in ("mentor", "mentee"):
        for status in ("sobib", "vajab täpsustamist", "ei sobi"):
            rows.append(["Registreerimised", f"{role}: {status}", str(figures.registrations.get((role, status), 0))])
        rows.append(["Registreerimised", f"{role}: kokku", str(sum(v for (r, _), v in figures.registrations.items() if r == role))])
    for status, count in sorted(figures.pairs.items()):
        rows.append(["Paarid", status, str(count)])
    rows.append(["Kohtumised", "kokku", str(sum(figures.meetings_per_month.values()))])
    for month, count in sorted(figures.meetings_per_month.items()):
        rows.append([MEETINGS_PER_MONTH, month, str(count)])
    for meetings in sorted(figures.meetings_per_pair):
        label = f"{meetings} kohtumist" if meetings != 1 else "1 kohtumine"
        pairs = figures.meetings_per_pair[meetings]
        rows.append(["Kohtumisi paari kohta", label, f"{pairs} paar" if pairs == 1 else f"{pairs} paari"])
    for day, title, invited, attended in figures.attendance:
        rows.append(["Osalemine", f"{day} {title}: kutsutud", str(invited)])
        rows.append(["Osalemine", f"{day} {title}: osales", str(attended)])
    for survey in figures.surveys:
        rate = f"{survey.responded} / {survey.invited} ({round(survey.response_rate * 100)}%)"
        rows.append(["Küsitlused", f"{survey.title}: vastanud", rate])
        for question in survey.questions:
            if question.type == "scale" and question.average is not None:
                rows.append(["Küsitlused", f"{survey.title}: {question.title}", f"{question.average:.1f}".replace(".", ",")])
            elif question.type == "choice":
                for choice, count in question.counts.items():
                    rows.append(["Küsitlused", f"{survey.title}: {question.title}: {choice}", str(count)])
    rows.append(["Kokkuvõte", "seisuga", figures.day.isoformat()])
    return rows


def bar_chart_svg(bars: list[tuple[str, int]], *, title: str, width: int = 640, height: int = 280) -> str:
    """A plain bar chart as inline SVG, readable in any browser and printable."""
    left, bottom, top = 40, 40, 46  # room above the tallest bar for its number, under the title
    plot_height = height - bottom - top
    highest = max((value for _, value in bars), default=0) or 1
    slot = (width - left - 10) / max(len(bars), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f'<text x="{width / 2:.0f}" y="18" text-anchor="middle" font-size="14" font-family="sans-serif">{escape(title)}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#333"/>',
    ]
    for index, (label, value) in enumerate(bars):
        bar_height = plot_height * value / highest
        x = left + index * slot + slot * 0.15
        y = height - bottom - bar_height
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar_height:.1f}" fill="#3a6ea5"><title>{escape(label)}: {value}</title></rect>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12" font-family="sans-serif">{value}</text>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" font-family="sans-serif">{escape(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
