"""`mentorlus check` and `mentorlus preview`: what would go wrong, found before anything is sent.

    problems, passed = check_everything(config, backends)
"""

from __future__ import annotations

import difflib
from collections import Counter
from datetime import date
from pathlib import Path


from automation.clock import Clock
from automation.domain.text import Say
from automation.config import Config
from automation.domain.members import parse_members
from automation.domain.programme import intake_window
from automation.domain.registrations import FormMapping, Role, missing_questions, parse_responses
from automation.domain.surveys import load_surveys
from automation.emails import LANGUAGES, OutgoingMessage, Recipient, RenderedEmail, TemplateLibrary, compose, message_id_for
from automation.errors import ConfigError, MentorlusError, TemplateError
from automation.jobs import JOBS
from automation.jobs.base import common_variables
from automation.commands.runner import template_samples as failure_samples
from automation.ports import Backends


def did_you_mean(name: str, choices: list[str], language: str = "en") -> str:
    """" (did you mean 'x'?)" for a name close to one of the choices, else ""."""
    close = difflib.get_close_matches(name, choices, n=1)
    return Say(language)(f" (kas mõtlesid '{close[0]}'?)", f" (did you mean '{close[0]}'?)") if close else ""


def all_template_samples(config: Config, language: str) -> dict[str, dict]:
    """Each email template with the variables its job gives it, sample values in that language."""
    samples = dict(failure_samples(config, language))
    for job in JOBS.values():
        samples.update(job.template_samples(config, language))
    return samples


def check_form(config: Config, backends: Backends, role: str, today: date) -> tuple[list[str], list[str], list[str]]:
    """A registration form's export: there while the form is open, its columns the mapped questions, every answer understood.

    Returns problems, what passed, and the answers to look at (an answer no rule could read: the mapping may need it).
    """
    say = Say(config.programme.language)
    form = getattr(config.forms, role)
    where = backends.forms.location(form)
    name = say(f"vorm {role}", f"form {role}")
    try:
        table = backends.forms.read_responses(form)
    except MentorlusError as error:
        return [f"{name}: {error.text(say.language)}"], [], []
    first, last = intake_window(config)
    if table is None:
        if first <= today <= last:
            nearby = backends.forms.exports_nearby(form)
            close = difflib.get_close_matches(Path(form.responses).name, nearby, n=1, cutoff=0.3)
            if close:
                hint = say(f" (kas see on {close[0]}? nimeta see ümber)", f" (is it {close[0]}? rename it)")
            else:
                hint = say(f" (kaustas on: {', '.join(nearby)})", f" (the folder holds: {', '.join(nearby)})") if nearby else ""
            opens, closes = config.registration.opens, config.registration.closes
            return [say(f"{name}: registreerimine on avatud ({say.day(opens)} – {say.day(closes)}), aga asukohas {where} ei ole eksporti{hint}; "
                        f"salvesta vormi vastused sinna CSV-failina täpselt selle nimega (forms.{role}.responses)",
                        f"{name}: registration is open ({opens} .. {closes}) but there is no export at {where}{hint}; "
                        f"save the form's responses as CSV there, under exactly that name (forms.{role}.responses)")], [], []
        return [], [say(f"{name}: asukohas {where} ei ole veel vastuseid, nii et selle küsimusi ei saa kontrollida",
                        f"{name}: no responses yet at {where}, so its questions cannot be checked")], []
    missing = missing_questions(table.header, form.questions)
    if missing:
        columns = ", ".join(table.header)
        return [say(f"{name} ({where}): küsimusele „{question}“ (forms.{role}.questions) ei vasta ükski veerg; veerud on: {columns}",
                    f"{name} ({where}): no column for the question „{question}“ (forms.{role}.questions); its columns are: {columns}")
                for question in missing], [], []
    registrations = parse_responses(Role(role), table, FormMapping(form.questions, form.answers), default_language=config.programme.default_language,
                                    timezone=config.programme.timezone, this_year=config.programme.start.year)
    unread = Counter((unread.question, unread.answer) for registration in registrations for unread in registration.unread.values())
    bad_addresses = [registration for registration in registrations if not registration.identified]
    understood = len(registrations) - len({r.row for r in registrations if r.unread or not r.identified})
    questions, rows = len(form.questions), len(registrations)
    passed = [say(f"{name}: kõik {questions} seotud küsimust on olemas; täielikult arusaadavaid ridu {understood}/{rows}",
                  f"{name}: all {questions} mapped questions found; {understood} of {rows} rows understood in full")]
    notes = []
    for (question, answer), count in sorted(unread.items()):
        in_rows = say.count(count, ("{n} reas", "{n} reas"), ("{n} row", "{n} rows"))
        notes.append(say(f"{name}: küsimuse „{question}“ vastus „{answer[:100]}“ ({in_rows}) jäi arusaamatuks; "
                         f"kui sel on tähendus, kirjuta see jaotisesse [forms.{role}.answers.\"{question}\"]",
                         f"{name}: question „{question}“, answer „{answer[:100]}“ ({in_rows}): not understood; "
                         f"if it means something, map it in [forms.{role}.answers.\"{question}\"]"))
    notes += [f"{name}, {say('rida', 'row')} {registration.row}: {registration.problems[0] if registration.problems else say('aadress puudub', 'no address')}"
              for registration in bad_addresses]
    return [], passed, notes


def check_everything(config: Config, backends: Backends, today: date | None = None) -> tuple[list[str], list[str], list[str]]:
    """Problems (each stops a real run from going right), what passed, and what to look at; in the coordinators' language."""
    say = Say(config.programme.language)
    today = today or config.registration.opens
    problems: list[str] = []
    notes: list[str] = []
    passed = [say(f"seadistus {config.source}", f"config {config.source}")]
    library = TemplateLibrary(config.templates_dir)

    def template_problem(error: TemplateError) -> str:
        if config.templates.directory is None or not error.message.endswith("template missing"):
            return error.text(say.language)
        return say(f"{error.message_et}; eemalda seadistusest [templates] directory, et kasutada kaasas olevaid malle, või kopeeri puuduv mall sinna",
                   f"{error.message}; remove [templates] directory from the config to use the bundled templates, or copy the missing one there")

    for language in LANGUAGES:
        for name, variables in all_template_samples(config, language).items():
            try:
                library.render(name, language, {**common_variables(config, language), **variables})
                passed.append(say(f"mall {language}/{name}", f"template {language}/{name}"))
            except TemplateError as error:
                problems.append(template_problem(error))
        for job in JOBS.values():
            for name, variables in job.document_samples(config, language).items():
                try:
                    library.render_document(name, language, variables)
                    passed.append(say(f"dokumendi mall {language}/{name}.html", f"document template {language}/{name}.html"))
                except TemplateError as error:
                    problems.append(template_problem(error))
    for role in ("mentor", "mentee"):
        form_problems, form_passed, to_look_at = check_form(config, backends, role, today)
        problems += form_problems
        passed += form_passed
        notes += to_look_at
    try:
        surveys = load_surveys(config.surveys_dir)
        if not surveys:
            problems.append(say(f"küsitlused: kaustas {config.surveys_dir} ei ole ühtki küsitlust, nii et tagasisidet ei küsitaks; "
                                "eemalda seadistusest [surveys] directory, et kasutada kaasas olevaid küsitlusi, või pane küsitluste failid sinna",
                                f"surveys: there is no survey in {config.surveys_dir}, so no feedback would be asked for; "
                                "remove [surveys] directory from the config to use the bundled surveys, or put survey files there"))
        else:
            passed.append(say(f"küsitlused: {len(surveys)} kaustas {config.surveys_dir}", f"surveys: {len(surveys)} in {config.surveys_dir}"))
        if not backends.forms.makes_forms:
            for survey in surveys:
                if survey.url:
                    continue
                where = config.surveys_dir / (survey.id + ".toml")
                problems.append(say(f"küsitlus „{survey.title}“ ({where}): osalejatele pole linki; see taustasüsteem vorme ei loo, nii et kirjuta "
                                    f"url = \"...\" (vorm mis tahes teenuses, mida ühing kasutab) ja responses = \"forms/{survey.id}.csv\" "
                                    "(kuhu selle vastused CSV-na salvestatakse)",
                                    f"survey „{survey.title}“ ({where}): no link for participants; this backend makes "
                                    f"no forms, so set url = \"...\" (a form in any service the association uses) and responses = \"forms/{survey.id}.csv\" "
                                    "(where its answers are saved as CSV)"))
    except MentorlusError as error:
        problems.append(error.text(say.language))
    if config.backend.kind == "local" and config.mail.transport == "backend":
        outbox = config.workspace / "outbox"
        notes.append(say(f"e-post: kirjad kirjutatakse ainult kausta {outbox}; keegi ei saa neid kätte. Nende saatmiseks kirjuta "
                         "[mail] transport = \"smtp\" koos ühingu meiliserveriga (vaata README-d) või backend.kind = \"google\"",
                         f"mail: messages are only written to {outbox}; nobody receives them. To send them, set "
                         "[mail] transport = \"smtp\" with your mail host (see the README), or backend.kind = \"google\""))
    members = config.members
    register_at = backends.sheets.location(members.sheet, members.tab)
    try:
        register, member_problems = parse_members(
            backends.sheets.read_tab(members.sheet, members.tab),
            email_column=members.email_column,
            name_column=members.name_column,
            paid_until_column=members.paid_until_column,
            where=register_at,
        )
        problems += member_problems
        if register:
            passed.append(say.count(len(register), ("liikmeregister: {n} liige", "liikmeregister: {n} liiget"),
                                    ("members register: {n} member", "members register: {n} members")))
        else:
            problems.append(say(f"liikmeregister {register_at}: selles pole veel ühtki liiget; täida see (iga registreerunut võrreldakse sellega)",
                                f"members register {register_at}: no members in it yet; fill it in (every registrant is checked against it)"))
    except MentorlusError as error:
        problems.append(error.text(say.language))
    for what, problem in backends.access() if backends.access else []:
        if problem:
            problems.append(f"{what}: {problem}")
        else:
            passed.append(f"{what}: {say('kättesaadav', 'reachable')}")
    return problems, passed, notes


def preview_message(config: Config, template: str, language: str, clock: Clock) -> tuple[RenderedEmail, OutgoingMessage]:
    samples = all_template_samples(config, language)
    if template not in samples:
        raise ConfigError(f"no email template called '{template}'{did_you_mean(template, list(samples))}", hint=f"choose from: {', '.join(sorted(samples))}",
                          message_et=f"kirja malli nimega '{template}' ei ole{did_you_mean(template, list(samples), 'et')}",
                          hint_et=f"vali nende seast: {', '.join(sorted(samples))}")
    library = TemplateLibrary(config.templates_dir)
    rendered = library.render(template, language, {**common_variables(config, language), **samples[template]})
    message = compose(
        rendered,
        sender=Recipient(config.association.sender_email, config.association.sender_name),
        to=[Recipient("mari.maasikas@example.ee", "Mari Maasikas")],
        reply_to=[Recipient(c.email, c.name) for c in config.coordinators],
        message_id=message_id_for(f"preview/{template}/{language}", config.association.sender_email),
        sent_at=clock.now(),
        language=language,
    )
    return rendered, message
