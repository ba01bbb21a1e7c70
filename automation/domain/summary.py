"""The board's figures (S8.3): counts and shares only, never a name, an address or a workplace.

    report = board_report(figures, minimum_meetings=6, covision_minimum=2)
    report.headline        # [Figure("Osalejaid", "30", "15 mentorit, 15 menteed"), ...]: the answers at a glance
    report.sections        # [Section("Paarid", ["Staatus", "Paare", "Osakaal"], rows), ...]
    rows = summary_rows(report)            # the board's tab: [["Jaotis", "Näitaja", "Väärtus"], ...]
    svg = bar_chart_svg([("jaanuar 2027", 12), ("veebruar 2027", 30)], title="Kohtumised kuus", axis="kohtumisi")
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from html import escape

from automation.domain.text import counted, format_day


@dataclass
class EventFigure:
    day: date
    title: str
    kind: str  # mentor_training, mentee_workshop, mentor_covision, mentee_covision
    invited: int
    attended: int


@dataclass
class Figures:
    day: date
    registrations: Counter = field(default_factory=Counter)  # (role, status) -> count
    pairs: Counter = field(default_factory=Counter)  # status -> count
    meetings_per_month: list[tuple[str, int]] = field(default_factory=list)  # ("jaanuar 2027", 12), in order
    meetings_per_pair: Counter = field(default_factory=Counter)  # meetings -> pairs with that many (pairs that were confirmed)
    pairs_on_pace: int = 0  # confirmed pairs meeting at the recommended pace today
    events: list[EventFigure] = field(default_factory=list)
    surveys: list = field(default_factory=list)  # SurveySummary: aggregated answers


@dataclass
class Figure:
    label: str
    value: str
    note: str = ""


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class BoardReport:
    day: date
    headline: list[Figure]
    sections: list[Section]


MEETINGS_PER_MONTH = "Kohtumised kuus"
STATUS_ORDER = ["kinnitatud", "heaks kiidetud", "ettepanek", "lõppenud", "muutmise soov", "tagasi lükatud", "paarita", "jääb paarita"]


def share(part: int, whole: int) -> str:
    """'12 (40%)': a count with its share; '–' where there is nothing to share."""
    return f"{part} ({round(part * 100 / whole)}%)" if whole else "–"


def percent(part: int, whole: int) -> str:
    return f"{round(part * 100 / whole)}%" if whole else "–"


def people(by_role: dict[str, int]) -> str:
    return f"{counted(by_role['mentor'], '{n} mentor', '{n} mentorit', 'et')}, {counted(by_role['mentee'], '{n} mentee', '{n} menteed', 'et')}"


def number(value: float) -> str:
    """A decimal as an Estonian reader writes it: 4,3."""
    return f"{value:.1f}".replace(".", ",")


def board_report(figures: Figures, *, minimum_meetings: int, covision_minimum: int) -> BoardReport:
    registrations = figures.registrations
    by_role = {role: sum(v for (r, _), v in registrations.items() if r == role) for role in ("mentor", "mentee")}
    eligible = {role: registrations.get((role, "sobib"), 0) for role in ("mentor", "mentee")}
    held = figures.pairs.get("kinnitatud", 0) + figures.pairs.get("lõppenud", 0)
    reached = sum(count for meetings, count in figures.meetings_per_pair.items() if meetings >= minimum_meetings)
    meetings_total = sum(count for _, count in figures.meetings_per_month)
    past = [event for event in figures.events if event.day <= figures.day]
    trainings = [e for e in past if e.kind in ("mentor_training", "mentee_workshop")]
    covisions = {role: len({e.title.split(" – ")[0] + e.day.isoformat() for e in past if e.kind == f"{role}_covision"})
                 for role in ("mentor", "mentee")}
    headline = [
        Figure("Registreerunuid", str(sum(by_role.values())), people(by_role)),
        Figure("Osalemiseks sobivad", str(sum(eligible.values())), people(eligible)),
        Figure("Mentorpaare", str(held), f"kinnitatud {figures.pairs.get('kinnitatud', 0)}, lõppenud {figures.pairs.get('lõppenud', 0)}"),
        Figure(f"Paare, kes on kohtunud vähemalt {minimum_meetings} korda", share(reached, held),
               f"soovitatud tempos on {share(figures.pairs_on_pace, figures.pairs.get('kinnitatud', 0))} kinnitatud paaridest"),
        Figure("Kohtumisi kokku", str(meetings_total), f"keskmiselt {number(meetings_total / held)} paari kohta" if held else ""),
    ]
    for event in trainings:
        headline.append(Figure(f"{event.title}: osales", share(event.attended, event.invited), f"kutsutud {event.invited}, {format_day(event.day, 'et')}"))
    headline.append(Figure("Kovisioonikohtumisi toimunud", f"{covisions['mentor']} + {covisions['mentee']}",
                           f"mentoritel {covisions['mentor']}, menteedel {covisions['mentee']}; programm näeb ette vähemalt {covision_minimum} + {covision_minimum}"))
    if figures.surveys:
        invited = sum(survey.invited for survey in figures.surveys)
        responded = sum(survey.responded for survey in figures.surveys)
        satisfaction = [q.average for survey in figures.surveys for q in survey.questions
                        if q.type == "scale" and q.average is not None and ("rahul" in q.title or "tervikuna" in q.title)]
        note = counted(len(figures.surveys), "üks küsitlus", "{n} küsitlust", "et") + (f"; rahulolu keskmiselt {number(sum(satisfaction) / len(satisfaction))} (1–5)" if satisfaction else "")
        headline.append(Figure("Küsitlustele vastanud", share(responded, invited), note))

    sections = [
        Section("Registreerimised", ["Roll", "Kokku", "Sobib", "Vajab täpsustamist", "Ei sobi"], [
            [{"mentor": "mentorid", "mentee": "menteed"}[role], str(by_role[role]),
             *(share(registrations.get((role, status), 0), by_role[role]) for status in ("sobib", "vajab täpsustamist", "ei sobi"))]
            for role in ("mentor", "mentee")
        ]),
        Section("Paarid", ["Staatus", "Paare", "Osakaal"], [
            [status, str(count), percent(count, sum(figures.pairs.values()))]
            for status, count in sorted(figures.pairs.items(), key=lambda item: STATUS_ORDER.index(item[0]) if item[0] in STATUS_ORDER else 99)
        ]),
        Section("Kohtumisi paari kohta", ["Kohtumisi", "Paare", "Osakaal"], [
            [str(meetings), str(count), percent(count, held)] for meetings, count in sorted(figures.meetings_per_pair.items())
        ]),
        Section(MEETINGS_PER_MONTH, ["Kuu", "Kohtumisi"], [[month, str(count)] for month, count in figures.meetings_per_month]),
        Section("Koolitused ja kovisioon", ["Kuupäev", "Sündmus", "Kutsutud", "Osales"], [
            [format_day(event.day, "et"), event.title, str(event.invited), share(event.attended, event.invited) if event.day <= figures.day else "toimub"]
            for event in figures.events
        ]),
        Section("Küsitlused", ["Küsitlus", "Küsimus", "Tulemus"], [
            row for survey in figures.surveys for row in (
                [[survey.title, "vastanud", share(survey.responded, survey.invited)]]
                + [[survey.title, q.title, number(q.average)] for q in survey.questions if q.type == "scale" and q.average is not None]
                + [[survey.title, f"{q.title}: {choice}", share(count, q.answers)] for q in survey.questions if q.type == "choice"
                   for choice, count in q.counts.items()]
            )
        ]),
    ]
    return BoardReport(figures.day, headline, [section for section in sections if section.rows])


def summary_rows(report: BoardReport) -> list[list[str]]:
    """The board's tab: the headline first, then each section's rows, every value beside its label."""
    rows = [["Jaotis", "Näitaja", "Väärtus"]]
    rows += [["Ülevaade", figure.label, figure.value + (f" ({figure.note})" if figure.note else "")] for figure in report.headline]
    for section in report.sections:
        for row in section.rows:
            if len(row) == 2:
                rows.append([section.title, row[0], row[1]])
            else:
                rows.append([section.title, row[0], "; ".join(f"{column}: {value}" for column, value in zip(section.columns[1:], row[1:]))])
    rows.append(["Kokkuvõte", "seisuga", format_day(report.day, "et")])
    return rows


def bar_chart_svg(bars: list[tuple[str, int]], *, title: str, axis: str, width: int = 680, height: int = 300) -> str:
    """A bar chart as inline SVG: a value axis with gridlines and its label, each bar's number above it, printable."""
    left, right, bottom, top = 56, 12, 46, 44
    plot_width, plot_height = width - left - right, height - bottom - top
    highest = max((value for _, value in bars), default=0)
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10**9) if highest / s <= 5)
    ceiling = max(step, -(-highest // step) * step)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" font-family="Helvetica, Arial, sans-serif">',
        f'<text x="{width / 2:.0f}" y="20" text-anchor="middle" font-size="15" font-weight="bold">{escape(title)}</text>',
        f'<text x="14" y="{top + plot_height / 2:.0f}" text-anchor="middle" font-size="12" transform="rotate(-90 14 {top + plot_height / 2:.0f})">'
        f'{escape(axis)}</text>',
    ]
    for tick in range(0, ceiling + 1, step):
        y = top + plot_height - plot_height * tick / ceiling
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{"#333" if tick == 0 else "#ddd"}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{tick}</text>')
    slot = plot_width / max(len(bars), 1)
    for index, (label, value) in enumerate(bars):
        bar_height = plot_height * value / ceiling
        x = left + index * slot + slot * 0.18
        y = top + plot_height - bar_height
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.64:.1f}" height="{bar_height:.1f}" fill="#2f6690"><title>{escape(label)}: {value}</title></rect>')
        parts.append(f'<text x="{x + slot * 0.32:.1f}" y="{y - 5:.1f}" text-anchor="middle" font-size="12">{value}</text>')
        parts.append(f'<text x="{x + slot * 0.32:.1f}" y="{top + plot_height + 18}" text-anchor="middle" font-size="11">{escape(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
