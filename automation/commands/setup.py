"""`mentorlus setup`: what a fresh Workspace needs for the programme, as plain data a backend provisions.

    lines = set_up(config, templates, provision)   # provision(plan) -> Provisioned, e.g. backends.google.setup
    # the plan is made, the backend creates what is missing, the ids go into the config file

Forms get the questions the config maps; sheets get their tabs with headers;
the agreement template Doc gets the agreement's text with {{placeholders}}.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from typing import Callable

from automation.config import Config, Form, load_config
from automation.domain.text import Say
from automation.config_file import write_values
from automation.domain.pairs import PAIRS_COLUMNS, PAIRS_TAB
from automation.domain.registrations import FORM_FIELDS, Kind
from automation.domain.registrations_tab import REGISTRATIONS_TAB
from automation.emails import TemplateLibrary
from automation.jobs.board_summary import SUMMARY_TAB
from automation.jobs.pair_confirmation import agreement_variables
from automation.ports import FormPlan, Provisioned, QuestionPlan, SetupPlan, SheetPlan


def _question(title: str, field_name: str, form_kind: str, form: Form) -> QuestionPlan:
    spec = FORM_FIELDS.get(form_kind, {}).get(field_name)
    kind = spec.kind if spec else Kind.TEXT
    required = bool(spec and spec.required)
    if kind is Kind.YES_NO:
        return QuestionPlan(title, "choice", ("Jah", "Ei"), required)
    if kind is Kind.TEXT and field_name in ("goals", "strengths", "development_areas", "topics"):
        return QuestionPlan(title, "text", (), required)
    return QuestionPlan(title, "short", (), required)


def setup_plan(config: Config, templates: TemplateLibrary) -> SetupPlan:
    forms = []
    for key in ("mentor", "mentee", "meeting_log"):
        form = getattr(config.forms, key)
        if form is None:
            continue
        questions = tuple(_question(title, field_name, key, form) for title, field_name in form.questions.items())
        forms.append(FormPlan(key, form.title, f"{config.association.name}: {config.programme.name} {config.programme.year_label}", questions))
    members = config.members
    sheets = (
        SheetPlan(config.sheets.coordinators, f"{config.programme.name} {config.programme.year_label}: koordinaatorid",
                  ((REGISTRATIONS_TAB, ()), (PAIRS_TAB, tuple(PAIRS_COLUMNS)))),
        SheetPlan(config.sheets.board, f"{config.programme.name} {config.programme.year_label}: kokkuvõte juhatusele",
                  ((SUMMARY_TAB, ()),), readers=(config.google.board_group,) if config.google.board_group else ()),
        SheetPlan(members.sheet, f"{config.association.short_name} liikmed",
                  ((members.tab, (members.name_column, members.email_column, members.paid_until_column)),)),
    )
    language = config.programme.default_language
    variables = agreement_variables(config, language, "{{mentee_name}}", "{{mentor_name}}")
    # Text variables become {{placeholders}} the backend fills per pair; numbers and lists stay as this year's.
    placeholders = {key: "{{" + key + "}}" for key, value in variables.items() if isinstance(value, str)}
    html = templates.render_document("agreement", language, {**variables, **placeholders})
    return SetupPlan(
        folder=f"{config.programme.name} – {config.association.short_name}",
        forms=tuple(forms),
        sheets=sheets,
        template_name="Koostöökokkulepe – mall",
        template_text=html_to_text(html),
        editors=tuple(c.email for c in config.coordinators),
    )


class _Text(HTMLParser):
    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "li", "tr", "br", "section", "header", "footer", "table", "ul", "ol"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("style", "script", "head", "title"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("• ")

    def handle_endtag(self, tag) -> None:
        if tag in ("style", "script", "head", "title"):
            self.skip -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("th", "dt"):
            self.parts.append(": ")
        elif tag == "td":
            self.parts.append(" ")

    def handle_data(self, data) -> None:
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """The document's text with its paragraphs, for a Doc a coordinator then styles by hand."""
    parser = _Text()
    parser.feed(html)
    lines = [line.strip() for line in unescape("".join(parser.parts)).split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text + "\n"


def set_up(config: Config, templates: TemplateLibrary, provision: Callable[[SetupPlan], Provisioned]) -> list[str]:
    """Provision the plan and write the ids into the config file; what was found, created and written."""
    provisioned = provision(setup_plan(config, templates))
    changed = write_values(config.source, provisioned.ids)
    load_config(config.source)  # what was written must still load
    say = Say(config.programme.language)
    if changed:
        written = say(f"{config.source}: kirjutatud {', '.join(changed)}", f"{config.source}: {', '.join(changed)} written")
    else:
        written = say(f"{config.source}: juba ajakohane", f"{config.source}: already up to date")
    return [*provisioned.lines, written]
