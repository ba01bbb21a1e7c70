"""Job `intake` (S2.4, S3, S4, S5.1): registrations in, statuses out, each registrant acknowledged once.

Reads both registration forms and the members register, keeps the latest
response per person and role, checks eligibility, rewrites the
Registrations tab (keeping the coordinators' decision and note columns),
acknowledges each new registrant once and sends the coordinators one digest
when something is new. A form that cannot be read keeps its rows in the tab.
"""

from __future__ import annotations

from automation.domain.text import Say
from automation.config import Config
from automation.domain.programme import Schedule, intake_window
from automation.domain.registrations import Assessment, Registration, Role, Status
from automation.domain.registrations_tab import REGISTRATIONS_TAB
from automation.emails import Recipient, link
from automation.errors import InputError
from automation.jobs.base import Job, JobContext, JobResult, Milestone, fingerprint
from automation.memo import Memo

NAME = "intake"


def run(context: JobContext) -> JobResult:
    config = context.config
    result = JobResult()
    assessed = context.snapshot.registrations
    assessments, reading, tab, member_problems = assessed.assessments, assessed.reading, assessed.tab, assessed.member_problems
    sheet = config.sheets.coordinators
    form_titles = {role.value: getattr(config.forms, role.value).title for role in Role}
    # Nothing is lost: the rows a form gave last time stay while it cannot be read, or has vanished.
    unread = frozenset(role.label_et for role in [*reading.unreadable, *reading.empty])
    rows = assessed.tab_rows(form_titles, unread)
    context.write_tab(sheet, REGISTRATIONS_TAB, rows)
    say = context.say
    where = context.backends.sheets.location(sheet, REGISTRATIONS_TAB)
    result.summary.append(say.count(len(rows) - 1, ("{n} registreerimine", "{n} registreerimist"), ("{n} registration", "{n} registrations"))
                          + say(f" tabelis {where}", f" in {where}"))

    acknowledged = _acknowledge(context, assessments)
    if acknowledged:
        result.summary.append(say.count(acknowledged, ("{n} kinnitus kättesaamisest", "{n} kinnitust kättesaamisest"),
                                        ("{n} acknowledgement", "{n} acknowledgements")))
    declined = _tell_the_declined(context, assessments)
    if declined:
        result.summary.append(say.count(declined, ("{n} registreerunule teatatud, et teda sel aastal ei võeta", "{n} registreerunule teatatud, et neid sel aastal ei võeta"),
                                        ("{n} registrant told they are not taken this year", "{n} registrants told they are not taken this year")))
    result.summary += [say(f"vormil „{form_titles[role.value]}“ pole veel vastuseid", f"no {role.value} responses yet") for role in reading.empty]
    notices = member_problems + tab.problems
    if _send_digest(context, assessments, notices, location=context.backends.sheets.location(sheet, REGISTRATIONS_TAB)):
        result.summary.append(say("koond koordinaatoritele", "a digest to the coordinators"))
    result.warnings += notices
    if reading.unreadable:
        raise InputError(
            "; ".join(reading.unreadable.values()),
            hint="the other form was processed and this form's rows were kept in the Registrations tab; run the job again once fixed",
            message_et="; ".join(reading.unreadable_et.values()),
            hint_et="teise vormi vastused vaadati läbi ning selle vormi varasemad read jäid registreerimiste tabelisse alles; "
                    "kui viga on parandatud, käivita töö uuesti",
        )
    return result


def _acknowledge(context: JobContext, assessments: list[Assessment]) -> int:
    year = context.year_key
    sent = 0
    context.effects.preload(f"{NAME}/{year}/acknowledgement/")
    for assessment in assessments:
        registration = assessment.registration
        key = f"{NAME}/{year}/acknowledgement/{registration.role}/{registration.email}"
        if not registration.identified or context.effects.is_done(key):
            continue  # most of them on most days: acknowledged on an earlier run
        outcome = context.effects.send(
            key=key,
            job=NAME,
            purpose="acknowledgement",
            template="registration_received",
            language=registration.language,
            to=[Recipient(registration.email, registration.name)],
            variables=lambda: acknowledgement_variables(registration),
        )
        sent += outcome.is_new
    return sent


def _tell_the_declined(context: JobContext, assessments: list[Assessment]) -> int:
    """Only once the coordinators have decided "ei sobi" (never on the tool's assessment alone): one clear, kind email."""
    told = 0
    for assessment in assessments:
        registration = assessment.registration
        if not registration.identified or assessment.coordinator_decision is not Status.NOT_ELIGIBLE:
            continue
        outcome = context.effects.send(
            key=f"{NAME}/{context.year_key}/declined/{registration.role}/{registration.email}",
            job=NAME,
            purpose="registration declined",
            template="registration_declined",
            language=registration.language,
            to=[Recipient(registration.email, registration.name)],
            variables=declined_variables(registration, assessment),
        )
        told += outcome.is_new
    return told


def declined_variables(registration: Registration, assessment: Assessment | None) -> dict:
    # The rules' reasons are said only where the rules say no too; otherwise it is the coordinators' considered decision.
    reasons = list(assessment.reasons) if assessment and assessment.status is Status.NOT_ELIGIBLE else []
    return {**acknowledgement_variables(registration), "reasons": reasons}


def acknowledgement_variables(registration: Registration) -> dict:
    return {"first_name": registration.first_name, "name": registration.name, "role": registration.role.value}


def digest_variables(new: list[dict], clarify: list[dict], notices: list[str], totals: dict[str, int], location: str) -> dict:
    return {
        "new_registrations": new,
        "needs_clarification": clarify,
        "notices": notices,
        "totals": totals,
        "total": sum(totals.values()),
        "registrations_location": link(location),
    }


def template_samples(config: Config, language: str) -> dict[str, dict]:
    """Variables each of this job's templates gets, for `check` and `preview`."""
    sample = Registration(
        role=Role.MENTEE, email="mari.maasikas@example.ee", name="Mari Maasikas", language="et",
        submitted_at=None, answers={}, row=2,
    )
    item = {"role": "mentee", "name": sample.name, "email": sample.email, "status": Status.NEEDS_CLARIFICATION.value,
            "reasons": ["liikmemaks 2026. aasta eest on tasumata"], "refusal_reasons": ["ei ole valmis tasuma programmi osalustasu"],
            "row": 2, "kind": "new"}
    totals = {status.value: 1 for status in Status}
    return {
        "registration_received": acknowledgement_variables(sample),
        "registration_declined": declined_variables(sample, Assessment(sample, Status.NOT_ELIGIBLE, ("ei ole valmis tasuma programmi osalustasu",))),
        "coordinator_digest": digest_variables([item], [item], ["liikmeregister, rida 7: vigane e-posti aadress „mari@“"], totals, "sheets/koordinaatorid/Registreerimised.csv"),
    }


def _digest_items(assessments: list[Assessment], notices: list[str]) -> list[tuple[str, dict]]:
    """(id, item) for everything the coordinators should hear of; they are told of each id once."""
    items = [item for assessment in assessments for item in _items_of(assessment)]
    items += [(f"notice/{fingerprint(notice)}", {"kind": "notice", "text": notice}) for notice in notices]
    return items


def _items_of(assessment: Assessment) -> list[tuple[str, dict]]:
    """A registration's digest items, kept while it is the same registration assessed the same way: each day of the
    intake brings a few new registrations among hundreds told of before."""
    registration, status = assessment.registration, assessment.final_status
    return _ITEMS.for_objects((registration,), (status, assessment.reasons), lambda: _work_out_items_of(registration, status, assessment.reasons))


_ITEMS: Memo[list[tuple[str, dict]]] = Memo(limit=20_000)


def _work_out_items_of(registration: Registration, status: Status, reasons: tuple[str, ...]) -> list[tuple[str, dict]]:
    content = fingerprint(registration.key, registration.name, str(registration.submitted_at), *reasons)
    item = {
        "role": registration.role.label_et,
        "name": registration.name or "(nimi puudub)",
        "email": registration.email or registration.raw_email or "(e-post puudub)",
        "status": status.value,
        "reasons": list(reasons),
        # Reasons of a refusal are shown with the new registration; those to clarify get their own list.
        "refusal_reasons": list(reasons) if status is Status.NOT_ELIGIBLE else [],
        "row": registration.row,
    }
    items = [(f"registration/{registration.key}", {**item, "kind": "new"})]
    if status is Status.NEEDS_CLARIFICATION:
        items.append((f"clarify/{registration.key}/{content}", {**item, "kind": "clarify"}))
    return items


def _send_digest(context: JobContext, assessments: list[Assessment], notices: list[str], location: str) -> bool:
    counts = {status.value: sum(a.final_status is status for a in assessments) for status in Status}

    def variables(fresh: list[dict]) -> dict:
        return digest_variables(
            [item for item in fresh if item["kind"] == "new"],
            [item for item in fresh if item["kind"] == "clarify"],
            [item["text"] for item in fresh if item["kind"] == "notice"],
            counts,
            location,
        )

    return context.tell_coordinators(
        job=NAME, topic="registrations", template="coordinator_digest",
        items=_digest_items(assessments, notices), variables=variables,
    )


def schedule(config: Config) -> Schedule:
    return Schedule(ranges=(intake_window(config),))


def milestones(config: Config) -> list[Milestone]:
    first, last = intake_window(config)
    say = Say(config.programme.language)
    return [Milestone(first, say("esimene läbivaatus", "first intake")), Milestone(last, say("viimane läbivaatus", "last intake"))]


JOB = Job(
    name=NAME,
    title="registreerimiste läbivaatus",
    rules="S2.4 S3 S4 S5.1",
    order=20,
    description="reads registrations, checks eligibility, writes the Registrations tab, acknowledges, digests",
    description_et="loeb registreerimised, kontrollib sobivust, kirjutab registreerimiste lehe, kinnitab kättesaamist, saadab koondi",
    reads=("members", "registrations"),
    writes=("registrations",),
    schedule=schedule,
    milestones=milestones,
    run=run,
    template_samples=template_samples,
)
