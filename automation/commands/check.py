"""`mentorlus check` and `mentorlus preview`: what would go wrong, found before anything is sent.

    problems, passed = check_everything(config, backends)
"""

from __future__ import annotations


from automation.clock import Clock
from automation.config import Config
from automation.domain.members import parse_members
from automation.domain.registrations import missing_questions
from automation.domain.surveys import load_surveys
from automation.emails import LANGUAGES, OutgoingMessage, Recipient, RenderedEmail, TemplateLibrary, compose, message_id_for
from automation.errors import MentorlusError, TemplateError
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


def check_everything(config: Config, backends: Backends) -> tuple[list[str], list[str]]:
    problems: list[str] = []
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
        form = getattr(config.forms, role)
        try:
            table = backends.forms.read_responses(form)
        except MentorlusError as error:
            problems.append(f"form {role}: {error}")
            continue
        if table is None:
            passed.append(f"form {role}: no responses yet at {form.responses or form.id}, so its questions cannot be checked")
            continue
        missing = missing_questions(table.header, form.questions)
        for question in missing:
            problems.append(
                f"form {role} ({form.responses}): no column for the question „{question}“ (forms.{role}.questions); "
                f"its columns are: {', '.join(table.header)}"
            )
        if not missing:
            passed.append(f"form {role}: all {len(form.questions)} mapped questions found")
    try:
        surveys = load_surveys(config.surveys_dir)
        passed.append(f"surveys: {len(surveys)} in {config.surveys_dir}")
    except MentorlusError as error:
        problems.append(str(error))
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
        passed.append(f"members register: {len(register)} members")
    except MentorlusError as error:
        problems.append(str(error))
    for what, problem in backends.access() if backends.access else []:
        if problem:
            problems.append(f"{what}: {problem}")
        else:
            passed.append(f"{what}: reachable")
    return problems, passed


def preview_message(config: Config, template: str, language: str, clock: Clock) -> tuple[RenderedEmail, OutgoingMessage]:
    samples = all_template_samples(config, language)
    if template not in samples:
        raise TemplateError(f"no email template called '{template}'", hint=f"choose from: {', '.join(sorted(samples))}")
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
