"""Emails from templates: one template gives the subject, the text and the HTML part.

    library = TemplateLibrary(config.templates_dir)
    rendered = library.render("registration_received", "et", context)
    message = compose(rendered, sender=..., to=[Recipient("mari@example.ee", "Mari Tamm")], ...)

A template is `templates/<lang>/<name>.j2` with two blocks, `subject` and
`body`. The body is plain text: blank lines separate paragraphs, lines
starting with "- " are a list, web addresses become links. It is rendered
twice, once as text and once with autoescaping for the HTML part, so a value
from a form can never become markup. Undefined variables are errors.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from itertools import groupby
from pathlib import Path
from typing import Any, Mapping, Sequence

import jinja2
from markupsafe import Markup

from automation.errors import TemplateError

LANGUAGES = ("et", "en")
LAYOUT = "layout.html.j2"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_URL = re.compile(r"(https?://[^\s<>\"]+[^\s<>\".,;:!?)])")


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    media_type: str = "text/html"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def single_line(value: str) -> str:
    """Header-safe: control characters (CR, LF, ...) become spaces, runs of spaces one."""
    return " ".join(_CONTROL.sub(" ", value).split())


def message_id_for(key: str, sender_email: str) -> str:
    """A stable Message-ID: the same ledger key always gives the same id."""
    domain = sender_email.rsplit("@", 1)[-1]
    return f"<{effect_digest(key)}.mentorlus@{domain}>"


def effect_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


class TemplateLibrary:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        options: dict[str, Any] = dict(
            loader=jinja2.FileSystemLoader(str(directory)),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self._text = jinja2.Environment(autoescape=False, **options)
        self._html = jinja2.Environment(autoescape=True, **options)

    def render(self, name: str, language: str, context: Mapping[str, Any]) -> RenderedEmail:
        path = f"{language}/{name}.j2"
        subject = single_line(self._block(self._text, path, "subject", context))
        text = _tidy(self._block(self._text, path, "body", context))
        html_body = _paragraphs_to_html(_tidy(self._block(self._html, path, "body", context)))
        try:
            layout = self._html.get_template(LAYOUT)
            html = layout.render(subject=subject, body=Markup(html_body), language=language)
        except jinja2.TemplateNotFound:
            raise TemplateError(f"{self.directory / LAYOUT}: template missing", hint="restore it from the repository's templates/") from None
        return RenderedEmail(subject, text, html)

    def render_document(self, name: str, language: str, context: Mapping[str, Any]) -> str:
        """A whole HTML document (`<lang>/<name>.html.j2`), autoescaped."""
        path = f"{language}/{name}.html.j2"
        try:
            return self._html.get_template(path).render(**context)
        except jinja2.TemplateNotFound:
            raise TemplateError(f"{self.directory / path}: template missing", hint=f"add it in each language ({', '.join(LANGUAGES)})") from None
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(f"{self.directory / path}:{error.lineno}: {error.message}", hint="fix the template syntax") from None
        except jinja2.UndefinedError as error:
            raise TemplateError(
                f"{self.directory / path}: {error.message}",
                hint=f"use only the variables this document provides: {', '.join(sorted(context))}",
            ) from None

    def _block(self, environment: jinja2.Environment, path: str, block: str, context: Mapping[str, Any]) -> str:
        try:
            template = environment.get_template(path)
        except jinja2.TemplateNotFound:
            raise TemplateError(
                f"{self.directory / path}: template missing",
                hint=f"add it; every email needs a template in each language ({', '.join(LANGUAGES)})",
            ) from None
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(f"{self.directory / path}:{error.lineno}: {error.message}", hint="fix the template syntax") from None
        if block not in template.blocks:
            raise TemplateError(f"{self.directory / path}: no {{% block {block} %}}", hint="a template needs a 'subject' and a 'body' block")
        try:
            return "".join(template.blocks[block](template.new_context(dict(context))))
        except jinja2.UndefinedError as error:
            raise TemplateError(
                f"{self.directory / path}: {error.message}",
                hint=f"use only the variables this email provides: {', '.join(sorted(context))}",
            ) from None


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _paragraphs_to_html(escaped_text: str) -> str:
    # The text is already escaped: only our own tags are added here.
    parts = []
    for paragraph in escaped_text.strip().split("\n\n"):
        for is_list, lines in groupby(paragraph.split("\n"), key=lambda line: line.startswith("- ")):
            lines = list(lines)
            if is_list:
                parts.append("<ul>" + "".join(f"<li>{_linkify(line[2:])}</li>" for line in lines) + "</ul>")
            else:
                parts.append("<p>" + "<br>\n".join(_linkify(line) for line in lines) + "</p>")
    return "\n".join(parts)


def _linkify(escaped_line: str) -> str:
    return _URL.sub(r'<a href="\1">\1</a>', escaped_line)


def compose(
    rendered: RenderedEmail,
    *,
    sender: Recipient,
    to: Sequence[Recipient],
    reply_to: Sequence[Recipient],
    message_id: str,
    sent_at: datetime,
    language: str,
    attachments: Sequence[Attachment] = (),
    calendar: tuple[str, bytes] | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = _address(sender)
    message["To"] = [_address(recipient) for recipient in to]
    if reply_to:
        message["Reply-To"] = [_address(recipient) for recipient in reply_to]
    message["Subject"] = single_line(rendered.subject)
    message["Date"] = format_datetime(sent_at)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(rendered.text, charset="utf-8")
    message.add_alternative(rendered.html, subtype="html", charset="utf-8")
    if calendar is not None:
        # Calendars recognise an invitation by the text/calendar part with its METHOD; the .ics
        # attachment is for whoever wants to open or forward it.
        method, ics = calendar
        message.add_alternative(ics.decode("utf-8"), subtype="calendar", charset="utf-8", params={"method": method})
        message.add_attachment(ics, maintype="application", subtype="ics", filename="kutse.ics")
    for attachment in attachments:
        maintype, _, subtype = attachment.media_type.partition("/")
        if maintype == "text":
            # As text with its charset, or mail programs show õ ä ö ü as garbage.
            text = attachment.content.decode("utf-8")
            message.add_attachment(text, subtype=subtype, charset="utf-8", filename=attachment.filename)
        else:
            message.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    # After the content: set_content() drops Content-* headers set before it.
    message["Content-Language"] = language
    return message


def _address(recipient: Recipient) -> Address:
    username, _, domain = recipient.email.partition("@")
    return Address(display_name=single_line(recipient.name), username=username, domain=domain)

