"""Job `pair-confirmation` (S5.3, S5.4, S6.3, S6.4, S6.7, S6.8): approved pairs told, agreements made, changes reported.

For each pair the committee approved: the pair's cooperation agreement from
`templates/<lang>/agreement.html.j2`, in the shared drive (locally
`drive/<year>/koostöökokkulepped/`), shared with both; one email to the mentee and one
to the mentor, each in their language, with the other's contacts, the
agreement and how meetings are logged; the mentee asked to make contact within
`pairs.contact_within_days` days. Then the row is marked "kinnitatud". Each
effect happens once. Pairs set to "lõppenud" or "muutmise soov" are reported
to the coordinators once.
"""

from __future__ import annotations

from datetime import timedelta

from automation.config import Config
from automation.domain.pairs import AGREEMENT, CONFIRMED_ON, MENTOR, STATUS, PairRow, PairStatus, PairsTab
from automation.domain.programme import Schedule
from automation.domain.registrations import Registration, Role
from automation.domain.text import format_on_day
from automation.emails import Attachment, Recipient
from automation.jobs.base import JobContext, JobResult, Milestone, common_variables, fingerprint, tell_coordinators_once
from automation.jobs.intake import assess_registrations
from automation.jobs.attendance import training_of_mentors
from automation.jobs.match import PAIRS_TAB, eligible_people, read_pairs, untrained_mentor_notices
from automation.ports import Document, EffectState

NAME = "pair-confirmation"


def run(context: JobContext) -> JobResult:
    config = context.config
    rows = context.backends.sheets.read_tab(config.sheets.coordinators, PAIRS_TAB)
    tab = read_pairs(context, rows=rows)
    people: dict[tuple[Role, str], Registration] = {}
    if tab.awaiting_confirmation():
        # Only then are the registrations needed: to check the approved rows and to address the emails.
        assessed = assess_registrations(context)
        mentees, mentors = eligible_people(assessed)
        people = {(a.registration.role, a.registration.email): a.registration for a in assessed.assessments if a.registration.identified}
        tab = read_pairs(context, mentees, mentors, rows)
    confirmed = 0
    training = training_of_mentors(context, [r for (role, _), r in people.items() if role is Role.MENTOR])
    holding = [row for row in tab.rows if row.status in (PairStatus.APPROVED, PairStatus.CONFIRMED)]
    flags = untrained_mentor_notices([(row.mentor_email, row.cells.get(MENTOR, "")) for row in holding], training)
    for row in tab.to_confirm():
        mentee = people[(Role.MENTEE, row.mentee_email)]
        mentor = people[(Role.MENTOR, row.mentor_email)]
        document = _agreement(context, mentee, mentor)
        _tell_the_pair(context, mentee, mentor, document)
        tab.mark(row, {STATUS: PairStatus.CONFIRMED.value, CONFIRMED_ON: context.today.isoformat(), AGREEMENT: document.link})
        confirmed += 1
    if confirmed:
        context.write_tab(config.sheets.coordinators, PAIRS_TAB, tab.render(training=training))
    summary = [f"{confirmed} pair(s) confirmed" if confirmed else "no approved pair waiting"]
    if _report_changes(context, tab, flags):
        summary.append("pair changes reported to the coordinators")
    return JobResult(summary, tab.problems)


def agreement_language(mentee: Registration, mentor: Registration) -> str:
    return "en" if mentee.language == mentor.language == "en" else "et"


def agreement_variables(config: Config, language: str, mentee_name: str, mentor_name: str) -> dict:
    return {**common_variables(config, language), "mentee_name": mentee_name, "mentor_name": mentor_name}


def document_fields(variables: dict) -> dict[str, str]:
    """The variables a template Doc's {{placeholders}} can take: the plain ones."""
    return {key: str(value) for key, value in variables.items() if isinstance(value, str | int) and not isinstance(value, bool)}


def _agreement(context: JobContext, mentee: Registration, mentor: Registration) -> Document:
    """The pair's agreement, created and shared once; found again by its name after a crash."""
    drive, ledger = context.backends.drive, context.backends.ledger
    key = f"{NAME}/{context.year_key}/agreement/{mentee.email}/{mentor.email}"
    folder = [context.year_key, "koostöökokkulepped"]  # coordinators open this folder: its name is Estonian
    name = f"Koostöökokkulepe – {mentee.name} ja {mentor.name}"
    # Only a key the ledger knows can have a document already (a crash after creating it): else no search is needed.
    existing = drive.find_document(folder, name) if ledger.state(key) is not None else None
    if existing is None and context.dry_run:
        context.report.line(f"  would create the agreement „{name}” and share it with {mentee.email}, {mentor.email}")
        return Document(id="", name=name, link=f"({name})")
    language = agreement_language(mentee, mentor)
    variables = agreement_variables(context.config, language, mentee.name, mentor.name)
    if existing is None:
        html = context.templates.render_document("agreement", language, variables)
        ledger.record_intent(key, job=NAME, recipient=f"{mentee.email},{mentor.email}", purpose="agreement", now=context.clock.now())
        existing = drive.create_document(folder, name, html, fields=document_fields(variables))
    elif ledger.state(key) is EffectState.PENDING and not context.dry_run:
        drive.fill(existing, document_fields(variables))  # a crash may have come between making it and filling it in
    if not context.dry_run:
        drive.share(existing, [mentee.email, mentor.email])
        if ledger.state(key) is not EffectState.DONE:
            ledger.record_intent(key, job=NAME, recipient=f"{mentee.email},{mentor.email}", purpose="agreement", now=context.clock.now())
            ledger.record_done(key, now=context.clock.now())
            context.report.counts["agreement"] += 1
    return existing


def contact_variables(person: Registration) -> dict:
    return {
        "name": person.name,
        "first_name": person.first_name,
        "email": person.email,
        "phone": str(person.answers.get("phone") or ""),
        "workplace": str(person.answers.get("workplace") or ""),
    }


def confirmation_variables(config: Config, language: str, me: Registration, other: Registration, contact_by, document_link: str, attached: bool) -> dict:
    meeting_log = config.forms.meeting_log
    return {
        "first_name": me.first_name,
        "other": contact_variables(other),
        "contact_within_days": config.pairs.contact_within_days,
        "contact_by": format_on_day(contact_by, language),
        "agreement_attached": attached,
        "agreement_link": document_link,
        "meeting_log_url": meeting_log.url if meeting_log else "",
    }


def _tell_the_pair(context: JobContext, mentee: Registration, mentor: Registration, document: Document) -> None:
    contact_by = context.today + timedelta(days=context.config.pairs.contact_within_days)
    attachments = [Attachment(f"{document.name}.html", document.content, document.media_type)] if document.content else []
    for me, other, role in ((mentee, mentor, "mentee"), (mentor, mentee, "mentor")):
        context.outbox.send(
            key=f"{NAME}/{context.year_key}/{role}/{mentee.email}/{mentor.email}",
            job=NAME,
            purpose=f"pair confirmation to the {role}",
            template=f"pair_confirmation_{role}",
            language=me.language,
            to=[Recipient(me.email, me.name)],
            variables=confirmation_variables(context.config, me.language, me, other, contact_by, document.link, bool(attachments)),
            attachments=attachments,
        )


def _report_changes(context: JobContext, tab: PairsTab, flags: list[str]) -> bool:
    changed = [row for row in tab.rows if row.status in (PairStatus.ENDED, PairStatus.CHANGE_REQUESTED)]
    items = [(f"change/{row.mentee_email}/{row.mentor_email}/{row.status.name}", _change_item(row)) for row in changed]
    items += [(f"problem/{fingerprint(problem)}", {"problem": problem}) for problem in tab.problems + flags]
    location = context.backends.sheets.location(context.config.sheets.coordinators, PAIRS_TAB)
    return tell_coordinators_once(
        context,
        job=NAME,
        topic="pair changes",
        template="pair_changes",
        items=items,
        variables=lambda fresh: changes_variables([i for i in fresh if "problem" not in i], [i["problem"] for i in fresh if "problem" in i], location),
    )


def _change_item(row: PairRow) -> dict:
    return {
        "mentee": row.cells.get("Mentee", "") or row.mentee_email,
        "mentor": row.cells.get("Mentor", "") or row.mentor_email,
        "status": row.status.value if row.status else "",
        "note": row.cells.get("Kolleegiumi märkus", ""),
        "mentor_freed": not row.keeps_mentor_place,
    }


def changes_variables(changes: list[dict], problems: list[str], location: str) -> dict:
    return {"changes": changes, "problems": problems, "pairs_location": location}


def template_samples(config: Config, language: str) -> dict[str, dict]:
    mentee = Registration(Role.MENTEE, "mari.maasikas@example.ee", "Mari Maasikas", language, None, {"phone": "+372 5555 0101", "workplace": "Eesti Töötukassa"}, 2)
    mentor = Registration(Role.MENTOR, "juri.ounapuu@example.ee", "Jüri Õunapuu", language, None, {"workplace": "Tartu Ülikool"}, 2)
    contact_by = config.programme.relationships_start
    return {
        "pair_confirmation_mentee": confirmation_variables(config, language, mentee, mentor, contact_by, "drive/2026/koostöökokkulepped/x.html", True),
        "pair_confirmation_mentor": confirmation_variables(config, language, mentor, mentee, contact_by, "https://docs.google.com/document/d/x", False),
        "pair_changes": changes_variables(
            [{"mentee": mentee.name, "mentor": mentor.name, "status": "lõppenud", "note": "koostöö ei sujunud", "mentor_freed": True}],
            ["Paarid, rida 4: mentor „x@” pole sobivate mentorite seas"], "sheets/koordinaatorid/Paarid.csv",
        ),
    }


def document_samples(config: Config, language: str) -> dict[str, dict]:
    return {"agreement": agreement_variables(config, language, "Mari Maasikas", "Jüri Õunapuu")}


def schedule(config: Config) -> Schedule:
    window = config.pair_confirmation_range
    return Schedule(ranges=((window.first, window.last),))


def milestones(config: Config) -> list[Milestone]:
    window = config.pair_confirmation_range
    return [Milestone(window.first, "approved pairs confirmed, daily from here"), Milestone(window.last, "last day")]
