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

from datetime import date, timedelta

from automation.config import Config
from automation.domain.attendance import untrained_mentor_notices
from automation.domain.pairs import AGREEMENT, CONFIRMED_ON, MENTOR, PAIRS_TAB, STATUS, PairRow, PairStatus, PairsTab
from automation.domain.programme import Schedule, confirmation_window
from automation.domain.registrations import Registration, Role
from automation.domain.text import Say, format_on_day
from automation.emails import Attachment, Recipient, link
from automation.errors import BackendError
from automation.jobs.base import Job, JobContext, JobResult, Milestone, Outcome, common_variables, fingerprint
from automation.ports import Document

NAME = "pair-confirmation"


def run(context: JobContext) -> JobResult:
    config, snapshot = context.config, context.snapshot
    tab = snapshot.pairs
    people: dict[tuple[Role, str], Registration] = {}
    if tab.awaiting_confirmation():
        # Only then are the registrations needed: to check the approved rows and to address the emails.
        mentees, mentors = snapshot.registrations.eligible_people()
        people = snapshot.registrations.people()
        tab = snapshot.checked_pairs(mentees, mentors)
    training = snapshot.training if people else {}
    holding = [row for row in tab.rows if row.status in (PairStatus.APPROVED, PairStatus.CONFIRMED)]
    flags = untrained_mentor_notices([(row.mentor_email, row.cells.get(MENTOR, "")) for row in holding], training)
    confirmed = 0
    try:
        for row in tab.to_confirm():
            mentee = people[(Role.MENTEE, row.mentee_email)]
            mentor = people[(Role.MENTOR, row.mentor_email)]
            document = _agreement(context, mentee, mentor)
            confirmed_on = _tell_the_pair(context, mentee, mentor, document)
            tab.mark(row, {STATUS: PairStatus.CONFIRMED.value, CONFIRMED_ON: confirmed_on.isoformat(), AGREEMENT: document.link})
            confirmed += 1
    finally:
        # Pairs told before a failure are marked as such: the tab holds what happened.
        if confirmed:
            context.write_tab(config.sheets.coordinators, PAIRS_TAB, tab.render(training=training))
    say = context.say
    summary = [say.count(confirmed, ("{n} paar kinnitatud", "{n} paari kinnitatud"), ("{n} pair confirmed", "{n} pairs confirmed"))
               if confirmed else say("kinnitamist ootavat heakskiidetud paari pole", "no approved pair waiting")]
    told = _tell_those_without_a_pair(context, tab, people)
    if told:
        summary.append(say.count(told, ("{n} menteele teatatud, et tal pole sel aastal paari", "{n} menteele teatatud, et neil pole sel aastal paari"),
                                 ("{n} mentee told they have no pair this year", "{n} mentees told they have no pair this year")))
    if _report_changes(context, tab, flags):
        summary.append(say("paaride muudatustest teatatud koordinaatoritele", "pair changes reported to the coordinators"))
    return JobResult(summary, tab.problems)


def _tell_those_without_a_pair(context: JobContext, tab: PairsTab, people: dict[tuple[Role, str], Registration]) -> int:
    """After the committee decided ("jääb paarita"), never on the proposal alone: one clear, kind email to the mentee."""
    rows = tab.without_pair()
    if rows and not people:
        people = context.snapshot.registrations.people()
    told = 0
    for row in rows:
        mentee = people.get((Role.MENTEE, row.mentee_email))
        if mentee is None:
            continue
        outcome = context.effects.send(
            key=f"{NAME}/{context.year_key}/no-pair/{mentee.email}",
            job=NAME,
            purpose="no pair this year",
            template="no_pair",
            language=mentee.language,
            to=[Recipient(mentee.email, mentee.name)],
            variables={"first_name": mentee.first_name},
        )
        told += outcome.is_new
    return told


def agreement_language(mentee: Registration, mentor: Registration) -> str:
    return "en" if mentee.language == mentor.language == "en" else "et"


def agreement_variables(config: Config, language: str, mentee_name: str, mentor_name: str) -> dict:
    return {**common_variables(config, language), "mentee_name": mentee_name, "mentor_name": mentor_name}


def document_fields(variables: dict) -> dict[str, str]:
    """The variables a template Doc's {{placeholders}} can take: the plain ones."""
    return {key: str(value) for key, value in variables.items() if isinstance(value, str | int) and not isinstance(value, bool)}


def _agreement(context: JobContext, mentee: Registration, mentor: Registration) -> Document:
    """The pair's agreement: made, filled in and shared, each once; found again by its name after a crash."""
    drive, effects = context.backends.drive, context.effects
    key = f"{NAME}/{context.year_key}/agreement/{mentee.email}/{mentor.email}"
    folder = [context.year_key, "koostöökokkulepped"]  # coordinators open this folder: its name is Estonian
    name = f"Koostöökokkulepe – {mentee.name} ja {mentor.name}"
    language = agreement_language(mentee, mentor)
    variables = agreement_variables(context.config, language, mentee.name, mentor.name)
    recipients = f"{mentee.email},{mentor.email}"
    made: list[Document] = []

    def find() -> bool:
        found = drive.find_document(folder, name)
        made.extend([found] if found else [])
        return found is not None

    def create() -> None:
        html = context.templates.render_document("agreement", language, variables)
        made.append(drive.create_document(folder, name, html))

    outcome = effects.once(key, job=NAME, purpose="agreement", kind="document", recipient=recipients, find=find, do=create,
                           describe=context.say(f"looks koostöökokkuleppe „{name}“ ja jagaks seda aadressidele {mentee.email}, {mentor.email}",
                                                f"would create the agreement „{name}“ and share it with {mentee.email}, {mentor.email}"), counted=True)
    if outcome is Outcome.WOULD_DO:
        return Document(id="", name=name, link=f"({name})")
    document = made[0] if made else drive.find_document(folder, name)
    if document is None:
        raise BackendError(f"the agreement „{name}“ is recorded as made but is not in the drive folder {'/'.join(folder)}",
                           hint="it was deleted by hand: delete its line from the ledger with `mentorlus forget` or restore it from the bin",
                           message_et=f"koostöökokkulepe „{name}“ on kirjas tehtuna, aga seda pole kaustas {'/'.join(folder)}",
                           hint_et="see kustutati käsitsi: taasta see prügikastist või kustuta selle rida käsuga `mentorlus forget`")
    # Filled in as an effect of its own: a crash between the copy and the filling leaves it to the next run.
    effects.once(f"{key}/filled", job=NAME, purpose="agreement filled in", kind="document", recipient=recipients,
                 do=lambda: drive.fill(document, document_fields(variables)))
    effects.once(f"{key}/shared", job=NAME, purpose="agreement shared", kind="document", recipient=recipients,
                 do=lambda: drive.share(document, [mentee.email, mentor.email]))
    return document


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
        "role": me.role.value,
        "other": contact_variables(other),
        "contact_within_days": config.pairs.contact_within_days,
        "contact_by": format_on_day(contact_by, language),
        "agreement_attached": attached,
        "agreement_link": link(document_link),
        "meeting_log_url": link(meeting_log.url) if meeting_log else "",
    }


def _tell_the_pair(context: JobContext, mentee: Registration, mentor: Registration, document: Document) -> date:
    """Both told, each once; the day the pair was first told is remembered with that email, and returned."""
    told_key = f"{NAME}/{context.year_key}/confirmed-on/{mentee.email}/{mentor.email}"
    confirmed_on = context.effects.recall(told_key, date, context.today)
    contact_by = confirmed_on + timedelta(days=context.config.pairs.contact_within_days)
    attachments = [Attachment(f"{document.name}.html", document.content, document.media_type)] if document.content else []
    for me, other, role in ((mentee, mentor, "mentee"), (mentor, mentee, "mentor")):
        context.effects.send(
            key=f"{NAME}/{context.year_key}/{role}/{mentee.email}/{mentor.email}",
            job=NAME,
            purpose=f"pair confirmation to the {role}",
            template=f"pair_confirmation_{role}",
            language=me.language,
            to=[Recipient(me.email, me.name)],
            variables=confirmation_variables(context.config, me.language, me, other, contact_by, document.link, bool(attachments)),
            attachments=attachments,
            remember={told_key: confirmed_on},
        )
    return confirmed_on


def _report_changes(context: JobContext, tab: PairsTab, flags: list[str]) -> bool:
    changed = [row for row in tab.rows if row.status in (PairStatus.ENDED, PairStatus.CHANGE_REQUESTED)]
    items = [(f"change/{row.mentee_email}/{row.mentor_email}/{row.status.name}", _change_item(row)) for row in changed]
    items += [(f"problem/{fingerprint(problem)}", {"problem": problem}) for problem in tab.problems + flags]
    location = context.backends.sheets.location(context.config.sheets.coordinators, PAIRS_TAB)
    return context.tell_coordinators(
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
    return {"changes": changes, "problems": problems, "pairs_location": link(location)}


def template_samples(config: Config, language: str) -> dict[str, dict]:
    mentee = Registration(Role.MENTEE, "mari.maasikas@example.ee", "Mari Maasikas", language, None, {"phone": "+372 5555 0101", "workplace": "Eesti Töötukassa"}, 2)
    mentor = Registration(Role.MENTOR, "juri.ounapuu@example.ee", "Jüri Õunapuu", language, None, {"workplace": "Tartu Ülikool"}, 2)
    contact_by = config.programme.relationships_start
    return {
        "no_pair": {"first_name": "Mari"},
        "pair_confirmation_mentee": confirmation_variables(config, language, mentee, mentor, contact_by, "drive/2026/koostöökokkulepped/x.html", True),
        "pair_confirmation_mentor": confirmation_variables(config, language, mentor, mentee, contact_by, "https://docs.google.com/document/d/x", False),
        "pair_changes": changes_variables(
            [{"mentee": mentee.name, "mentor": mentor.name, "status": "lõppenud", "note": "koostöö ei sujunud", "mentor_freed": True}],
            ["Paarid, rida 4: mentor „x@“ pole sobivate mentorite seas"], "sheets/koordinaatorid/Paarid.csv",
        ),
    }


def document_samples(config: Config, language: str) -> dict[str, dict]:
    return {"agreement": agreement_variables(config, language, "Mari Maasikas", "Jüri Õunapuu")}


def schedule(config: Config) -> Schedule:
    return Schedule(ranges=(confirmation_window(config),))


def milestones(config: Config) -> list[Milestone]:
    first, last = confirmation_window(config)
    say = Say(config.programme.language)
    return [Milestone(first, say("heakskiidetud paarid kinnitatakse, siit alates iga päev", "approved pairs confirmed, daily from here")),
            Milestone(last, say("viimane päev", "last day"))]


JOB = Job(
    name=NAME,
    title="paaride kinnitamine",
    rules="S5.3 S5.4 S6.3 S6.4 S6.7 S6.8",
    order=40,
    description="confirms approved pairs: agreement, emails to both; reports ended pairs and change requests",
    description_et="kinnitab heakskiidetud paarid: koostöökokkulepe ja kiri mõlemale; teatab lõppenud paaridest ja muutmissoovidest",
    reads=("registrations", "pairs", "training"),
    writes=("pairs",),
    schedule=schedule,
    milestones=milestones,
    run=run,
    template_samples=template_samples,
    document_samples=document_samples,
)
