"""Feedback surveys (S6.5, S6.6, S8.1, S8.2): definitions, when they go out, what they add up to.

    surveys = load_surveys(Path("config/surveys"))      # ConfigError names the file and the question
    summary = summarise(surveys[0], table, invited=40)  # aggregated: averages, counts, anonymous free text
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from automation.domain.registrations import ResponseTable, normalise_email, normalise_text
from automation.errors import ConfigError

QUESTION_TYPES = ("scale", "choice", "text")


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    title_en: str = ""  # for participants written to in English: the form shows both
    type: str
    choices: list[str] = Field(default_factory=list)

    @property
    def form_title(self) -> str:
        """As the form asks it: Estonian, and English beside it when there is English."""
        return f"{self.title} / {self.title_en}" if self.title_en else self.title


class Survey(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    title_en: str = ""
    introduction: str = ""
    url: str = ""  # the link participants open, where the backend makes no forms (the local one): any form service
    responses: str = ""  # that form's answers as a CSV export, relative to the workspace (default forms/<id>.csv)
    audience: Literal["mentors", "mentees", "participants"]
    send_on: str = Field(pattern=r"^\d\d-\d\d$")
    close_after_days: int = Field(default=21, ge=1)
    remind_after_days: list[int] = Field(default_factory=lambda: [7, 14], max_length=2)
    questions: list[Question] = Field(min_length=1)

    def title_in(self, language: str) -> str:
        return self.title_en if language == "en" and self.title_en else self.title

    @property
    def form_title(self) -> str:
        return f"{self.title} / {self.title_en}" if self.title_en else self.title

    def send_date(self, programme_start: date, programme_end: date) -> date:
        month, day = (int(part) for part in self.send_on.split("-"))
        year = programme_start.year if month >= programme_start.month else programme_end.year
        return date(year, month, day)


def load_surveys(directory: Path) -> list[Survey]:
    if not directory.is_dir():
        return []
    surveys: list[Survey] = []
    problems: list[tuple[str, str]] = []  # (Estonian, English)
    for path in sorted(directory.glob("*.toml")):
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
            survey = Survey.model_validate(raw)
        except tomllib.TOMLDecodeError as error:
            problems.append((f"{path}: ei ole korrektne TOML ({error})", f"{path}: not valid TOML: {error}"))
            continue
        except ValidationError as error:
            for item in error.errors():
                key = ".".join(str(part) for part in item["loc"])
                problems.append((f"{path}: võti '{key}': {item['msg']}", f"{path}: key '{key}': {item['msg']}"))
            continue
        for index, question in enumerate(survey.questions):
            where = f"{path}: questions[{index}] ('{question.id}')"
            if question.type not in QUESTION_TYPES:
                problems.append((f"{where}: tundmatu küsimuse tüüp '{question.type}'; kasuta ühte neist: {', '.join(QUESTION_TYPES)}",
                                 f"{where}: unknown question type '{question.type}'; use one of: {', '.join(QUESTION_TYPES)}"))
            elif question.type == "choice" and not question.choices:
                problems.append((f"{where}: valikküsimusel peavad olema valikud: choices = [...]", f"{where}: a choice question needs its choices = [...]"))
        surveys.append(survey)
    ids = [survey.id for survey in surveys]
    problems += [(f"{directory}: küsitluse id '{survey_id}' on kasutusel kaks korda", f"{directory}: the survey id '{survey_id}' is used twice")
                 for survey_id in sorted({i for i in ids if ids.count(i) > 1})]
    if problems:
        raise ConfigError("\n".join(en for _, en in problems), hint="see config/surveys/, where the shipped surveys show every key",
                          message_et="\n".join(et for et, _ in problems), hint_et="vaata kausta config/surveys/, kus kaasas olevad küsitlused näitavad iga võtit")
    return surveys


def respondents(table: ResponseTable | None) -> set[str]:
    """Who answered: the addresses in the export's email column."""
    if table is None:
        return set()
    column = next((i for i, title in enumerate(table.header) if "mail" in title.casefold() or "e-post" in title.casefold()), None)
    if column is None:
        return set()
    return {email for row in table.rows if column < len(row) and (email := normalise_email(row[column]))}


@dataclass
class QuestionSummary:
    title: str
    type: str
    answers: int = 0
    average: float | None = None
    counts: dict[str, int] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)


@dataclass
class SurveySummary:
    survey_id: str
    title: str
    invited: int
    responded: int
    questions: list[QuestionSummary]

    @property
    def response_rate(self) -> float:
        return self.responded / self.invited if self.invited else 0.0


def summarise(survey: Survey, table: ResponseTable | None, invited: int) -> SurveySummary:
    """Aggregated answers; free text without who wrote it (sorted, so the order tells nothing either)."""
    header = [normalise_text(title).casefold() for title in table.header] if table else []
    rows = table.rows if table else []
    latest: dict[str, list[str]] = {}
    for row in rows:  # one answer per person: the latest
        email = next((normalise_email(cell) for cell in row if normalise_email(cell)), None)
        latest[email or f"row{len(latest)}"] = row
    summaries = []
    for question in survey.questions:
        wanted = normalise_text(question.form_title).casefold()
        column = header.index(wanted) if wanted in header else None
        values = [normalise_text(row[column]) for row in latest.values() if column is not None and column < len(row) and row[column].strip()]
        summary = QuestionSummary(question.title, question.type, answers=len(values))
        if question.type == "scale":
            numbers = [int(value[0]) for value in values if value[:1].isdigit() and 1 <= int(value[0]) <= 5]
            summary.answers = len(numbers)
            summary.average = round(sum(numbers) / len(numbers), 2) if numbers else None
        elif question.type == "choice":
            summary.counts = {choice: sum(value == choice for value in values) for choice in question.choices}
        else:
            summary.texts = sorted(values)
        summaries.append(summary)
    return SurveySummary(survey.id, survey.title, invited, len(latest), summaries)
