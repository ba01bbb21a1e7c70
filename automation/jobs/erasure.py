"""Erasing personal data (GDPR): one person at any time (`mentorlus forget EMAIL`), everyone after the programme.

    erased, notes = forget(context, "mari.tamm@example.ee")   # ["forms/mentee.csv: 1 rida eemaldatud, 0 muudetud", ...], []

The job `retention` runs `retention.months_after_end` months after the
programme ends: form exports, the coordinators' sheet, the members register
copy, the outbox, the documents and who got what are erased; the board's
figures (no personal data) and the record of which job ran when stay.
Both are safe to run again: what is gone stays gone, and nobody else is touched.
"""

from __future__ import annotations

import calendar
from datetime import date

from automation.config import Config
from automation.domain.programme import Schedule
from automation.domain.registrations import normalise_email, normalise_text
from automation.domain.text import Say
from automation.errors import ConfigError
from automation.jobs.base import Job, JobContext, JobResult, Milestone
from automation.ports import Erased

NAME = "retention"


def names_of(context: JobContext, email: str) -> tuple[list[str], list[str]]:
    """The full names the person appears under (the name column of their rows in the exports and the register),
    and the names also borne by someone else, which are left alone so that a namesake keeps their data."""
    config = context.config
    names: set[str] = set()
    others: set[str] = set()
    sources = []
    for form in (config.forms.mentor, config.forms.mentee):
        table = context.backends.forms.read_responses(form)
        name_question = next((question for question, field in form.questions.items() if field == "name"), None)
        email_question = next((question for question, field in form.questions.items() if field == "email"), None)
        if table is not None and name_question and email_question:
            sources.append(([table.header] + table.rows, email_question, name_question))
    register = context.backends.sheets.read_tab(config.members.sheet, config.members.tab)
    if register:
        sources.append((register, config.members.email_column, config.members.name_column))
    for rows, email_column, name_column in sources:
        header = [normalise_text(title).casefold() for title in rows[0]]
        if normalise_text(email_column).casefold() not in header or normalise_text(name_column).casefold() not in header:
            continue
        at, named = header.index(normalise_text(email_column).casefold()), header.index(normalise_text(name_column).casefold())
        for row in rows[1:]:
            if at < len(row) and named < len(row):
                name = normalise_text(row[named])
                if " " not in name:  # only a full name: a first name alone would erase other people's words
                    continue
                (names if normalise_email(row[at]) == email else others).add(name)
    shared = sorted(names & others)
    return sorted(names - others, key=len, reverse=True), shared


def forget(context: JobContext, email: str) -> tuple[list[str], list[str]]:
    """What was erased, one line per place; and notes for the coordinators (a namesake whose texts were kept)."""
    address = normalise_email(email)
    if address is None:
        raise ConfigError(f"„{email}“ is not an email address", hint="give the address the person registered with",
                          message_et=f"„{email}“ ei ole e-posti aadress", hint_et="anna aadress, millega inimene registreerus")
    names, shared = names_of(context, address)
    backends = context.backends
    erased: list[Erased] = []
    for store in (backends.forms, backends.sheets, backends.mailer, backends.drive, backends.calendar, backends.ledger):
        erased += store.forget(address, names)
    say = context.say
    return [told(item, say) for item in erased], [
        say(f"NB: kellelgi teisel on samuti nimi {name}; tekstid, kus {name} on nimetatud ilma aadressita, jäid alles, vaata need käsitsi üle",
            f"note: someone else is also called {name}; texts naming {name} without the address were kept, check them by hand")
        for name in shared
    ]


ERASED = {  # kind -> (Estonian forms, English forms) of what was erased
    "rows": (("{n} rida eemaldatud", "{n} rida eemaldatud"), ("{n} row removed", "{n} rows removed")),
    "messages": (("{n} kiri eemaldatud", "{n} kirja eemaldatud"), ("{n} message removed", "{n} messages removed")),
    "binned": (("{n} saadetud kiri viidud prügikasti (Gmail tühjendab selle 30 päeva pärast)",
                "{n} saadetud kirja viidud prügikasti (Gmail tühjendab selle 30 päeva pärast)"),
               ("{n} sent message moved to the bin (Gmail empties it after 30 days)",
                "{n} sent messages moved to the bin (Gmail empties it after 30 days)")),
    "left_events": (("eemaldatud {n} sündmusest", "eemaldatud {n} sündmusest"), ("removed from {n} event", "removed from {n} events")),
    "attendees": (("osalejad eemaldatud {n} sündmusest", "osalejad eemaldatud {n} sündmusest"),
                  ("attendees removed from {n} event", "attendees removed from {n} events")),
    "documents": (("{n} dokument eemaldatud", "{n} dokumenti eemaldatud"), ("{n} document removed", "{n} documents removed")),
    "agreements": (("{n} koostöökokkulepe kustutatud", "{n} koostöökokkulepet kustutatud"), ("{n} agreement deleted", "{n} agreements deleted")),
    "files": (("{n} fail eemaldatud", "{n} faili eemaldatud"), ("{n} file removed", "{n} files removed")),
    "tabs": (("{n} leht eemaldatud", "{n} lehte eemaldatud"), ("{n} tab removed", "{n} tabs removed")),
    "exports": (("{n} eksport eemaldatud", "{n} eksporti eemaldatud"), ("{n} export removed", "{n} exports removed")),
    "survey_forms": (("{n} küsitluse vorm koos vastustega kustutatud", "{n} küsitluse vormi koos vastustega kustutatud"),
                     ("{n} survey form deleted with its responses", "{n} survey forms deleted with their responses")),
    "records": (("{n} toimingu kirje eemaldatud", "{n} toimingu kirjet eemaldatud"), ("{n} effect record removed", "{n} effect records removed")),
    "values": (("{n} meeles peetud väärtus puhastatud", "{n} meeles peetud väärtust puhastatud"),
               ("{n} remembered value cleaned", "{n} remembered values cleaned")),
    "summaries": (("{n} töö kokkuvõte puhastatud", "{n} töö kokkuvõtet puhastatud"), ("{n} job summary cleaned", "{n} job summaries cleaned")),
}


def told(item: Erased, say: Say) -> str:
    """One line of what was erased, as the coordinators read it."""
    if item.kind == "summaries_cleared":
        return f"{item.place}: " + say("tööde kokkuvõtted tühjendatud", "job summaries cleared")
    if item.kind == "forms_by_hand" and item.detail:
        return f"{item.place}: " + say(
            f"vastuseid ei saa API kaudu kustutada; kustuta aadressi {item.detail} vastused käsitsi (ava iga vorm > Vastused > Üksikud > leia inimene > Kustuta vastus)",
            f"responses cannot be deleted through the API; delete {item.detail}'s responses by hand "
            "(open each form > Responses > Individual > find the person > Delete response)")
    if item.kind == "forms_by_hand":
        return f"{item.place}: " + say(
            "kustuta registreerimisvormide ja kohtumiste vormi vastused käsitsi (iga vorm > Vastused > ⋮ > Kustuta kõik vastused)",
            "delete the registration forms' and the meeting log's responses by hand (each form > Responses > ⋮ > Delete all responses)")
    line = f"{item.place}: " + say.count(item.count, *ERASED[item.kind])
    if item.changed is not None:
        line += say(f", {item.changed} muudetud", f", {item.changed} changed")
    if item.detail:
        line += say(f", leht „{item.detail}“ tühjendatud", f", the tab „{item.detail}“ emptied")
    return line


def run(context: JobContext) -> JobResult:
    config, backends = context.config, context.backends
    say = context.say
    steps = [  # (the step's key in the ledger, what it erases in Estonian, the erasure)
        ("the form exports", "vormide ekspordid", backends.forms.delete_all),
        ("the coordinators' sheet", "koordinaatorite tabeli", lambda: backends.sheets.delete_tabs(config.sheets.coordinators)),
        *([("the members register", "liikmeregistri", lambda: backends.sheets.delete_tabs(config.members.sheet))] if config.erases_members_register else []),
        ("the sent mail", "saadetud kirjad", backends.mailer.delete_all),
        ("the documents", "dokumendid", backends.drive.delete_all),
        ("the calendar's attendees", "kalendri osalejad", backends.calendar.delete_attendees),
        ("who got what", "kirjed, kes mida sai", backends.ledger.forget_everyone),  # last: it forgets the records of the steps before it too
    ]
    erased: list[Erased] = []
    for what, what_et, erase in steps:
        # Each erasure is safe to repeat: what is gone stays gone.
        context.effects.once(f"{NAME}/{context.year_key}/{what}", job=NAME, purpose="erased", kind="erasure",
                             do=lambda erase=erase: erased.extend(erase()), describe=say(f"kustutaks {what_et}", f"would erase {what}"))
    if context.dry_run:
        return JobResult([say("proovikäivitus: midagi ei kustutatud", "dry run: nothing erased")])
    done = say.count(len(erased), ("{n} kirje", "{n} kirjet"), ("{n} item", "{n} items"))
    return JobResult([say(f"isikuandmed kustutatud ({done}); juhatuse arvud jäid alles", f"personal data erased ({done}); the board's figures kept")]
                     + [told(item, say) for item in erased])


def retention_day(config: Config) -> date:
    """`retention.months_after_end` months after the programme's last day."""
    end = config.programme.end
    month = end.month - 1 + config.retention.months_after_end
    year, month = end.year + month // 12, month % 12 + 1
    return date(year, month, min(end.day, calendar.monthrange(year, month)[1]))


def schedule(config: Config) -> Schedule:
    return Schedule(dates=(retention_day(config),))


def milestones(config: Config) -> list[Milestone]:
    return [Milestone(retention_day(config), Say(config.programme.language)("isikuandmed kustutatud; juhatuse arvud alles", "personal data erased; the board's figures kept"))]


JOB = Job(
    name=NAME,
    title="isikuandmete kustutamine",
    rules="GDPR",
    order=110,
    description="erases the personal data a set time after the programme; keeps the board's figures",
    description_et="kustutab isikuandmed kindla aja möödudes pärast programmi; juhatuse arvud jäävad alles",
    reads=(),
    schedule=schedule,
    milestones=milestones,
    run=run,
)
