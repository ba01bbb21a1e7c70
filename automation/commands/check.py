"""`mentorlus check` and `mentorlus preview`: what would go wrong, found before anything is sent.

    problems, passed = check_everything(config, backends)
"""

from __future__ import annotations

import difflib
from collections import Counter
from datetime import date
from pathlib import Path


from automation.clock import Clock
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


def did_you_mean(name: str, choices: list[str]) -> str:
    """" (did you mean 'x'?)" for a name close to one of the choices, else ""."""
    import difflib

    close = difflib.get_close_matches(name, choices, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


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
    form = getattr(config.forms, role)
    where = backends.forms.location(form)
    try:
        table = backends.forms.read_responses(form)
    except MentorlusError as error:
        return [f"form {role}: {error}"], [], []
    first, last = intake_window(config)
    if table is None:
        if first <= today <= last:
            nearby = backends.forms.exports_nearby(form)
            close = difflib.get_close_matches(Path(form.responses).name, nearby, n=1, cutoff=0.3)
            hint = f" (is it {close[0]}? rename it)" if close else (f" (the folder holds: {', '.join(nearby)})" if nearby else "")
            return [f"form {role}: registration is open ({config.registration.opens} .. {config.registration.closes}) but there is no "
                    f"export at {where}{hint}; save the form's responses as CSV there, under exactly that name (forms.{role}.responses)"], [], []
        return [], [f"form {role}: no responses yet at {where}, so its questions cannot be checked"], []
    missing = missing_questions(table.header, form.questions)
    if missing:
        return [f"form {role} ({where}): no column for the question „{question}“ (forms.{role}.questions); its columns are: {', '.join(table.header)}"
                for question in missing], [], []
    registrations = parse_responses(Role(role), table, FormMapping(form.questions, form.answers), default_language=config.programme.default_language,
                                    timezone=config.programme.timezone, this_year=config.programme.start.year)
    unread = Counter((unread.question, unread.answer) for registration in registrations for unread in registration.unread.values())
    bad_addresses = [registration for registration in registrations if not registration.identified]
    understood = len(registrations) - len({r.row for r in registrations if r.unread or not r.identified})
    passed = [f"form {role}: all {len(form.questions)} mapped questions found; {understood} of {len(registrations)} rows understood in full"]
    notes = [f"form {role}: question „{question}“, answer „{answer[:100]}“ ({count} row{'s' if count != 1 else ''}): not understood; "
             f"if it means something, map it in [forms.{role}.answers.\"{question}\"]" for (question, answer), count in sorted(unread.items())]
    notes += [f"form {role}, row {registration.row}: {registration.problems[0] if registration.problems else 'no address'}" for registration in bad_addresses]
    return [], passed, notes


def check_everything(config: Config, backends: Backends, today: date | None = None) -> tuple[list[str], list[str], list[str]]:
    """Problems (each stops a real run from going right), what passed, and what to look at."""
    today = today or config.registration.opens
    problems: list[str] = []
    notes: list[str] = []
    passed = [f"config {config.source}"]
    library = TemplateLibrary(config.templates_dir)
    for language in LANGUAGES:
        for name, variables in all_template_samples(config, language).items():
            try:
                library.render(name, language, {**common_variables(config, language), **variables})
                passed.append(f"template {language}/{name}")
            except TemplateError as error:
                problems.append(str(error))
        for job in JOBS.values():
            for name, variables in job.document_samples(config, language).items():
                try:
                    library.render_document(name, language, variables)
                    passed.append(f"document template {language}/{name}.html")
                except TemplateError as error:
                    problems.append(str(error))
    for role in ("mentor", "mentee"):
        form_problems, form_passed, to_look_at = check_form(config, backends, role, today)
        problems += form_problems
        passed += form_passed
        notes += to_look_at
    try:
        surveys = load_surveys(config.surveys_dir)
        if not surveys:
            problems.append(f"surveys: there is no survey in {config.surveys_dir}, so no feedback would be asked for; "
                            "remove [surveys] directory from the config to use the bundled surveys, or put survey files there")
        else:
            passed.append(f"surveys: {len(surveys)} in {config.surveys_dir}")
        if not backends.forms.makes_forms:
            problems += [f"survey „{survey.title}“ ({config.surveys_dir / (survey.id + '.toml')}): no link for participants; this backend makes "
                         f"no forms, so set url = \"...\" (a form in any service the association uses) and responses = \"forms/{survey.id}.csv\" "
                         "(where its answers are saved as CSV)" for survey in surveys if not survey.url]
    except MentorlusError as error:
        problems.append(str(error))
    if config.templates.directory is not None:
        advice = "; remove [templates] directory from the config to use the bundled templates, or copy the missing one there"
        problems = [problem.split("\n")[0] + advice if "template missing" in problem else problem for problem in problems]
    if config.backend.kind == "local" and config.mail.transport == "backend":
        notes.append(f"mail: messages are only written to {config.workspace / 'outbox'}; nobody receives them. To send them, set "
                     "[mail] transport = \"smtp\" with your mail host (see the README), or backend.kind = \"google\"")
    members = config.members
    try:
        register, member_problems = parse_members(
            backends.sheets.read_tab(members.sheet, members.tab),
            email_column=members.email_column,
            name_column=members.name_column,
            paid_until_column=members.paid_until_column,
            where=backends.sheets.location(members.sheet, members.tab),
        )
        problems += member_problems
        if register:
            passed.append(f"members register: {len(register)} members")
        else:
            problems.append(f"members register {backends.sheets.location(members.sheet, members.tab)}: no members in it yet; fill it in "
                            "(every registrant is checked against it)")
    except MentorlusError as error:
        problems.append(str(error))
    for what, problem in backends.access() if backends.access else []:
        if problem:
            problems.append(f"{what}: {problem}")
        else:
            passed.append(f"{what}: reachable")
    return problems, passed, notes


def preview_message(config: Config, template: str, language: str, clock: Clock) -> tuple[RenderedEmail, OutgoingMessage]:
    samples = all_template_samples(config, language)
    if template not in samples:
        raise ConfigError(f"no email template called '{template}'{did_you_mean(template, list(samples))}", hint=f"choose from: {', '.join(sorted(samples))}")
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
