"""Job `surveys` (S6.5, S6.6, S8.1, S8.2): feedback forms created, links sent, non-respondents reminded twice at most.

Survey definitions live in `surveys/*.toml` beside the config (the shipped
ones in config/surveys/: a mid-term check-in in March and a final survey in
June, for mentors and mentees apart, with the pair's summary of the process
and feedback on the programme). On a survey's day its form is created through
the forms port and each participant of its audience gets the link; who has
not answered gets a reminder after each of `remind_after_days`. Once it
closes, the coordinators get one aggregated summary: averages, counts, and
the free text without who wrote it.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from automation.config import Config
from automation.domain.programme import Schedule
from automation.domain.registrations import Registration
from automation.domain.surveys import Survey, SurveySummary, respondents, summarise
from automation.jobs.snapshot import load_surveys_once as load_surveys
from automation.domain.text import format_until_day
from automation.emails import Recipient
from automation.emails import link as as_link
from automation.errors import ConfigError
from automation.jobs.base import Job, JobContext, JobResult, Milestone

NAME = "surveys"
SENT_NOUNS = {
    "link": (("{n} kutse lingiga", "{n} kutset lingiga"), ("{n} link", "{n} links")),
    "reminder": (("{n} meeldetuletus", "{n} meeldetuletust"), ("{n} reminder", "{n} reminders")),
}


def survey_link(context: JobContext, survey: Survey) -> str:
    """The survey's own link, or the form the backend makes for it; never a file on this machine."""
    if survey.url:
        return survey.url
    definition = json.dumps(survey.model_dump(), ensure_ascii=False, indent=1)
    link = context.backends.forms.create_survey(survey.id, survey.form_title, [q.form_title for q in survey.questions], definition)
    if not link:
        raise ConfigError(f"the survey „{survey.title}“ ({survey.id}) has no link for participants, and the backend makes no forms",
                          hint=f"set url = \"...\" (a form in any service the association uses) and responses = \"forms/{survey.id}.csv\" "
                               "(where its answers are saved as CSV) in its file",
                          message_et=f"küsitlusel „{survey.title}“ ei ole osalejatele linki",
                          hint_et=f"kirjuta küsitluse faili url = \"...\" (vorm mis tahes teenuses) ja responses = \"forms/{survey.id}.csv\" (kuhu vastused CSV-na salvestatakse)")
    return link


def run(context: JobContext) -> JobResult:
    config, today, snapshot = context.config, context.today, context.snapshot
    if snapshot.surveys.error:
        raise ConfigError(snapshot.surveys.error, hint="see config/surveys/, where the shipped surveys show every key",
                          message_et=snapshot.surveys.error_et or snapshot.surveys.error,
                          hint_et="vaata kausta config/surveys/, kus kaasas olevad küsitlused näitavad iga võtit")
    result = JobResult()
    for survey in snapshot.surveys.definitions:
        opens = survey.send_date(config.programme.start, config.programme.end)
        closes = opens + timedelta(days=survey.close_after_days)
        if today < opens or today > closes + timedelta(days=7):
            continue
        link = "(dry run)" if context.dry_run else survey_link(context, survey)
        invited = snapshot.survey_audience(survey)
        answered = respondents(snapshot.survey_responses(survey))
        counts = {"link": 0, "reminder": 0}
        base = f"{NAME}/{context.year_key}/{survey.id}"
        context.effects.preload(base + "/")
        for person in invited:
            if today <= closes:
                counts["link"] += _send(context, survey, person, f"{base}/link/{person.email}", "survey_invitation", link, closes)
            for number, after in enumerate(survey.remind_after_days, start=1):
                if opens + timedelta(days=after) <= today <= closes and person.email not in answered:
                    counts["reminder"] += _send(context, survey, person, f"{base}/reminder-{number}/{person.email}", "survey_reminder", link, closes)
        if today >= closes:
            summary = summarise(survey, snapshot.survey_responses(survey), invited=len(invited))
            context.tell_coordinators(
                job=NAME, topic=f"summary-{survey.id}", template="survey_summary",
                items=[(survey.id, summary)], variables=lambda fresh: summary_variables(fresh[0]),
                purpose="coordinators: survey summary",
            )
        say = context.say
        done = say.counts(counts, SENT_NOUNS)
        result.summary.append(say(f"{survey.title}: vastanud {len(answered)}/{len(invited)}", f"{survey.title}: {len(answered)} of {len(invited)} answered")
                              + (f"; {done}" if done else ""))
    if not result.summary:
        result.summary.append(context.say("täna pole ühtki küsitlust avatud", "no survey open today"))
    return result


def _send(context: JobContext, survey: Survey, person: Registration, key: str, template: str, link: str, closes: date) -> bool:
    if context.effects.is_done(key):
        return False  # most of them on most days: sent on an earlier run
    outcome = context.effects.send(
        key=key,
        job=NAME,
        purpose=template.replace("_", " "),
        template=template,
        language=person.language,
        to=[Recipient(person.email, person.name)],
        variables=lambda: survey_variables(survey, person.first_name, link, format_until_day(closes, person.language), person.language),
    )
    return outcome.is_new


def survey_variables(survey: Survey, first_name: str, link: str, closes: str, language: str = "et") -> dict:
    return {"first_name": first_name, "survey_title": survey.title_in(language), "survey_link": as_link(link), "closes": closes,
            "question_count": len(survey.questions)}


def summary_variables(summary: SurveySummary) -> dict:
    return {
        "survey_title": summary.title,
        "invited": summary.invited,
        "responded": summary.responded,
        "rate": round(summary.response_rate * 100),
        "questions": [
            {
                "title": q.title,
                "type": q.type,
                "answers": q.answers,
                "average": f"{q.average:.1f}".replace(".", ",") if q.average is not None else None,  # for Estonian readers
                "counts": q.counts,
                "texts": q.texts,
            }
            for q in summary.questions
        ],
    }


def template_samples(config: Config, language: str) -> dict[str, dict]:
    from automation.domain.surveys import Question, QuestionSummary

    survey = Survey(id="vahekokkuvote", title="Mentorprogrammi vahekokkuvõte", audience="mentees", send_on="03-15",
                    questions=[Question(id="q", title="Kuidas läheb?", type="scale")])
    summary = SurveySummary("vahekokkuvote", survey.title, 40, 31, [
        QuestionSummary("Kuidas hindad kohtumisi?", "scale", 31, 4.3),
        QuestionSummary("Kas soovitaksid?", "choice", 30, counts={"Jah": 25, "Ei": 5}),
        QuestionSummary("Ettepanekud", "text", 2, texts=["Rohkem kovisioone.", "Väga hea programm!"]),
    ])
    return {
        "survey_invitation": survey_variables(survey, "Mari", "https://forms.gle/vahekokkuvote", format_until_day(config.programme.end, language), language),
        "survey_reminder": survey_variables(survey, "Mari", "https://forms.gle/vahekokkuvote", format_until_day(config.programme.end, language), language),
        "survey_summary": summary_variables(summary),
    }


def _window(config: Config) -> tuple[date, date] | None:
    try:
        surveys = load_surveys(config.surveys_dir)
    except Exception:  # noqa: BLE001 - `check` and the job name a broken definition; the plan just shows no dates
        return None
    if not surveys:
        return None
    opens = [s.send_date(config.programme.start, config.programme.end) for s in surveys]
    closes = [day + timedelta(days=s.close_after_days + 7) for s, day in zip(surveys, opens)]
    return min(opens), max(closes)


def schedule(config: Config) -> Schedule:
    window = _window(config)
    return Schedule(ranges=(window,)) if window else Schedule()


def milestones(config: Config) -> list[Milestone]:
    try:
        surveys = load_surveys(config.surveys_dir)
    except Exception:  # noqa: BLE001
        return []
    return [Milestone(s.send_date(config.programme.start, config.programme.end), s.title) for s in surveys]


JOB = Job(
    name=NAME,
    title="tagasisideküsitlused",
    rules="S6.5 S6.6 S8.1 S8.2",
    order=80,
    description="feedback surveys: forms created, links sent, non-respondents reminded at most twice, aggregated summaries",
    description_et="tagasisideküsitlused: vormid, lingid, kuni kaks meeldetuletust vastamata jätnutele, koondtulemused",
    reads=("registrations", "pairs", "surveys"),
    schedule=schedule,
    milestones=milestones,
    run=run,
    template_samples=template_samples,
)
