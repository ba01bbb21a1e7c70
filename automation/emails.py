"""Emails from templates: one template gives the subject, the text and the HTML part; we write the MIME ourselves.

    library = TemplateLibrary(config.templates_dir)
    rendered = library.render("registration_received", "et", context)
    message = compose(rendered, sender=..., to=[Recipient("mari@example.ee", "Mari Tamm")], ...)
    message.data          # the whole message, CRLF; message.recipients: exactly the envelope's

A template is `templates/<lang>/<name>.j2` with two blocks, `subject` and
`body`. The body is plain text: blank lines separate paragraphs, lines
starting with "- " are a list. It is rendered twice, once as text and once
with autoescaping for the HTML part, so a value from a form can never become
markup. In the HTML, web addresses written in the template itself become
links, and so do the tool's own (`Link`: the forms, the meeting log, a
video link, the coordinators' addresses and phones); an address inside a
value someone typed into a form never does. Undefined variables are errors.

Headers are written here, not by the standard library: a display name is one
quoted phrase or RFC 2047 words we encode, never decoded and never longer
than a line, so nothing in it can become an address or a header; subjects
are encoded words whose spaces are inside them, so no mail client drops one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any, Mapping, Sequence
from urllib.parse import quote

import jinja2
import jinja2.bccache
from markupsafe import Markup, escape

from automation.domain.text import counted
from automation.errors import TemplateError

logger = logging.getLogger(__name__)

LANGUAGES = ("et", "en")
LAYOUT = "layout.html.j2"
NAME_LIMIT = 80  # a display name longer than this is cut: a person's name fits, a smuggled list of addresses does not
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]+")
_URL = re.compile(r"(https?://[^\s<>\"\ue000\ue001]+[^\s<>\".,;:!?)\ue000\ue001])")
_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/^_`{|}~-]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_PLAIN_PHRASE = re.compile(r"[ -~]*")  # printable ASCII
# Around each variable's text in the HTML body: the template's own text is where links are looked for, never inside these.
OPEN, CLOSE = "\ue000", "\ue001"
STRONG = "\ue002"  # the template's own **emphasis** marks, kept apart from any asterisks a person typed
_EMPHASIS = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*")


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


@dataclass(frozen=True)
class OutgoingMessage:
    """A whole message as it goes out: its id, the envelope (only the intended addresses) and its bytes."""

    message_id: str
    sender: str
    recipients: tuple[str, ...]
    data: bytes  # RFC 5322, CRLF line endings

    def as_bytes(self) -> bytes:
        return self.data


class Link(str):
    """An address the tool owns (a form, a video call, a coordinator's email or phone): in HTML it is a link."""

    def __html__(self) -> str:
        text = str(self)
        if text.startswith(("http://", "https://")):
            return f'<a href="{escape(text)}">{escape(text)}</a>'
        if _ADDRESS.fullmatch(text):
            return f'<a href="mailto:{escape(text)}">{escape(text)}</a>'
        if re.fullmatch(r"\+?[0-9 ()-]{5,}", text):
            return f'<a href="tel:{escape(re.sub(r"[^0-9+]", "", text))}">{escape(text)}</a>'
        return str(escape(text))


class Joined(str):
    """Parts joined by a separator, each a Link or text: a coordinator's contact line."""

    def __new__(cls, parts: Sequence[str], separator: str = ", ") -> Joined:
        joined = super().__new__(cls, separator.join(part for part in parts if part))
        joined.parts, joined.separator = [part for part in parts if part], separator
        return joined

    def __html__(self) -> str:
        return str(escape(self.separator)).join(str(escape(part)) for part in self.parts)


def link(value: str) -> str:
    """A web address as a Link; anything else (a path on this machine, "") as it is."""
    return Link(value) if value.startswith(("http://", "https://")) else value


def single_line(value: str) -> str:
    """Header-safe: control and invisible formatting characters become spaces, runs of spaces one."""
    return " ".join(_CONTROL.sub(" ", value).split())


def message_id_for(key: str, sender_email: str) -> str:
    """A stable Message-ID: the same ledger key always gives the same id."""
    domain = sender_email.rsplit("@", 1)[-1]
    return f"<{effect_digest(key)}.mentorlus@{domain}>"


def effect_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


def _finalize(value: Any) -> Any:
    """Each variable's text in the HTML body: escaped, marked as not the template's own, a Link kept a link."""
    if isinstance(value, Markup) and not hasattr(value, "parts"):
        return value
    # The marks themselves are taken out of what a person typed: nobody can end the region early.
    text = str(escape(value)).replace(OPEN, "").replace(CLOSE, "").replace(STRONG, "")
    return Markup(OPEN + text + CLOSE)


@jinja2.pass_context
def _plural(context: jinja2.runtime.Context, count: int, one: str, other: str, zero: str = "") -> str:
    """In a template: {{ plural(count, "ühe korra", "{n} korda", "veel mitte kordagi") }}, by the letter's language's plural rules."""
    return counted(int(count), one, other, context.get("language", "et"), zero)


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled by an earlier process (a cron run a day): in the user's own private folder under the system's
    temporary one (Jinja's, made and checked by it), each checked against its template's source before use. A cache
    that cannot be read or written is no reason for a run to fail: the template is compiled as if it had none."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError as error:
            logger.debug("compiled template not read from the cache: %s", error)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as error:
            logger.debug("compiled template not kept in the cache: %s", error)


@lru_cache(maxsize=8)
def _compiled_templates(compiled_as: str) -> jinja2.BytecodeCache | None:
    """The cache for templates compiled with these settings. The same file compiles differently as text and as HTML
    (escaping is compiled in): each way has its own files, named after everything that changes the compiled code."""
    pattern = f"mentorlus-{hashlib.sha256(compiled_as.encode()).hexdigest()[:16]}-%s.cache"
    try:
        return _CompiledTemplates(pattern=pattern)
    except (OSError, RuntimeError) as error:  # no private folder to be had (read-only, or not the user's): compile each time
        logger.debug("templates are compiled without a cache: %s", error)
        return None


def _environment(directory: Path, **settings: Any) -> jinja2.Environment:
    options: dict[str, Any] = dict(
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        **settings,
    )
    compiled_as = repr(sorted((name, getattr(value, "__qualname__", value), getattr(value, "jinja_pass_arg", None))
                              for name, value in options.items())) + jinja2.__version__
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(directory)), auto_reload=False,
                                     bytecode_cache=_compiled_templates(compiled_as), **options)
    environment.globals["plural"] = _plural
    return environment


@lru_cache(maxsize=16)
def _environments(directory: Path) -> tuple[jinja2.Environment, jinja2.Environment, jinja2.Environment]:
    """Text, HTML of an email, HTML of a document: built once per template folder and process, so each template is
    compiled once (and, with the cache, once per machine until its source changes: compiling all of them takes about
    0.35 s, a run loads them in 0.03 s)."""
    return (_environment(directory, autoescape=False), _environment(directory, autoescape=True, finalize=_finalize),
            _environment(directory, autoescape=True))


class TemplateLibrary:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._text, self._html, self._documents = _environments(Path(directory))

    def render(self, name: str, language: str, context: Mapping[str, Any]) -> RenderedEmail:
        path = f"{language}/{name}.j2"
        subject = single_line(self._block(self._text, path, "subject", context)).replace("**", "")
        text = _EMPHASIS.sub(r"\1", _tidy(self._block(self._text, path, "body", context)))
        html_body = _paragraphs_to_html(_tidy(self._block(self._html, path, "body", context)))
        try:
            layout = self._documents.get_template(LAYOUT)
            html = layout.render(subject=subject, body=Markup(html_body), language=language, **_layout_variables(context))
        except jinja2.TemplateNotFound:
            raise TemplateError(f"{self.directory / LAYOUT}: template missing", hint="restore it from the repository's templates/",
                                message_et=f"{self.directory / LAYOUT}: mall puudub", hint_et="too see tagasi hoidla kaustast templates/") from None
        return RenderedEmail(subject, text, html)

    def render_document(self, name: str, language: str, context: Mapping[str, Any]) -> str:
        """A whole HTML document (`<lang>/<name>.html.j2`), autoescaped."""
        path = f"{language}/{name}.html.j2"
        try:
            return self._documents.get_template(path).render(**context)
        except jinja2.TemplateNotFound:
            raise TemplateError(f"{self.directory / path}: template missing", hint=f"add it in each language ({', '.join(LANGUAGES)})",
                                message_et=f"{self.directory / path}: mall puudub", hint_et=f"lisa see igas keeles ({', '.join(LANGUAGES)})") from None
        except jinja2.TemplateSyntaxError as error:
            raise _syntax_error(self.directory / path, error) from None
        except jinja2.UndefinedError as error:
            raise _unknown_variable(self.directory / path, error, context) from None

    def _block(self, environment: jinja2.Environment, path: str, block: str, context: Mapping[str, Any]) -> str:
        try:
            template = environment.get_template(path)
        except jinja2.TemplateNotFound:
            raise TemplateError(
                f"{self.directory / path}: template missing",
                hint=f"add it; every email needs a template in each language ({', '.join(LANGUAGES)})",
                message_et=f"{self.directory / path}: mall puudub",
                hint_et=f"lisa see; igal kirjal peab olema mall igas keeles ({', '.join(LANGUAGES)})",
            ) from None
        except jinja2.TemplateSyntaxError as error:
            raise _syntax_error(self.directory / path, error) from None
        if block not in template.blocks:
            raise TemplateError(f"{self.directory / path}: no {{% block {block} %}}", hint="a template needs a 'subject' and a 'body' block",
                                message_et=f"{self.directory / path}: plokk {{% block {block} %}} puudub",
                                hint_et="mallis peavad olema plokid 'subject' ja 'body'")
        try:
            return "".join(template.blocks[block](template.new_context(dict(context))))
        except jinja2.UndefinedError as error:
            raise _unknown_variable(self.directory / path, error, context) from None


def _syntax_error(path: Path, error: jinja2.TemplateSyntaxError) -> TemplateError:
    return TemplateError(f"{path}:{error.lineno}: {error.message}", hint="fix the template syntax",
                         message_et=f"{path}:{error.lineno}: {error.message}", hint_et="paranda malli süntaks sellel real")


def _unknown_variable(path: Path, error: jinja2.UndefinedError, context: Mapping[str, Any]) -> TemplateError:
    known = ", ".join(sorted(context))
    return TemplateError(f"{path}: {error.message}", hint=f"use only the variables this template is given: {known}",
                         message_et=f"{path}: {error.message}", hint_et=f"kasuta ainult muutujaid, mille see mall saab: {known}")


def _layout_variables(context: Mapping[str, Any]) -> dict[str, Any]:
    """What the HTML layout may show around the body: the association's name and website."""
    return {"association": context.get("association", ""), "website": context.get("website", "")}


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _paragraphs_to_html(escaped_text: str) -> str:
    # The text is already escaped: only our own tags are added here.
    parts = []
    for paragraph in _linkify(escaped_text).strip().split("\n\n"):
        for is_list, lines in groupby(paragraph.split("\n"), key=lambda line: line.startswith("- ")):
            lines = list(lines)
            if is_list:
                parts.append("<ul>" + "".join(f"<li>{line[2:]}</li>" for line in lines) + "</ul>")
            else:
                parts.append("<p>" + "<br>\n".join(lines) + "</p>")
    return "\n".join(parts)


def _linkify(escaped_text: str) -> str:
    """Web addresses in the template's own text become links, its **marks** emphasis; what a variable gave stays as it is."""
    pieces = re.split(f"({OPEN}[^{CLOSE}]*{CLOSE})", escaped_text)
    text = "".join(piece if piece.startswith(OPEN) else _URL.sub(r'<a href="\1">\1</a>', piece).replace("**", STRONG) for piece in pieces)
    text = re.sub(f"{STRONG}([^{STRONG}\n]+){STRONG}", r"<strong>\1</strong>", text).replace(STRONG, "**")
    return text.replace(OPEN, "").replace(CLOSE, "")


# ---- the message itself

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
) -> OutgoingMessage:
    for recipient in (sender, *to, *reply_to):
        if not _ADDRESS.fullmatch(recipient.email):
            raise ValueError(f"not a plain address: {recipient.email!r}")  # addresses are validated on the way in; this is the last guard
    boundary = f"=_mentorlus_{effect_digest(message_id)[:24]}"
    headers = [
        _header("From", _addresses([sender])),
        _header("To", _addresses(to)),
        *([_header("Reply-To", _addresses(reply_to))] if reply_to else []),
        _header("Subject", _encoded_text(single_line(rendered.subject))),
        f"Date: {format_datetime(sent_at)}",
        f"Message-ID: {message_id}",
        "Auto-Submitted: auto-generated",
        "MIME-Version: 1.0",
        f"Content-Language: {language}",
    ]
    alternatives = [_text_part("plain", rendered.text), _text_part("html", rendered.html)]
    if calendar is not None:
        # Calendars recognise an invitation by the text/calendar part with its METHOD; the .ics attachment is for whoever
        # wants to open or forward it.
        method, ics = calendar
        alternatives.append(_base64_part(f'text/calendar; charset="utf-8"; method={method}', ics))
    body = _multipart("alternative", f"{boundary}_a", alternatives)
    files = ([_base64_part("application/ics", calendar[1], "kutse.ics")] if calendar is not None else []) + [
        _base64_part(f'{a.media_type}; charset="utf-8"' if a.media_type.startswith("text/") else a.media_type, a.content, a.filename)
        for a in attachments
    ]
    if files:
        body = _multipart("mixed", boundary, [body, *files])
    data = ("\r\n".join(headers) + "\r\n" + body).encode("ascii")
    return OutgoingMessage(message_id, sender.email, tuple(r.email for r in to), data)


def _header(name: str, value: str) -> str:
    return f"{name}: {value}"


def _addresses(people: Sequence[Recipient]) -> str:
    return ",\r\n ".join(_address(person) for person in people)


def _address(person: Recipient) -> str:
    name = single_line(person.name)[:NAME_LIMIT].strip()
    if not name:
        return person.email
    if _PLAIN_PHRASE.fullmatch(name) and "=?" not in name:
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{quoted}" <{person.email}>'
    # Encoded by us, whole: a reader decodes it once, to exactly the text, with nothing in it read as syntax.
    return f"{_encoded_words(name)}\r\n <{person.email}>"


def _encoded_text(text: str) -> str:
    """An unstructured header value (the subject): folded plain ASCII, else RFC 2047 words with the spaces inside them."""
    if _PLAIN_PHRASE.fullmatch(text) and "=?" not in text:
        lines, line = [], ""
        for word in text.split(" "):
            if line and len(line) + 1 + len(word) > 66:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        if all(len(item) <= 76 for item in lines):
            return "\r\n ".join(lines)
    return _encoded_words(text)


def _encoded_words(text: str, budget: int = 45) -> str:
    """Base64 encoded words of at most `budget` bytes of UTF-8 each (75 characters a word), never splitting a character."""
    words, chunk = [], b""
    for character in text:
        encoded = character.encode("utf-8")
        if len(chunk) + len(encoded) > budget:
            words.append(chunk)
            chunk = b""
        chunk += encoded
    words.append(chunk)
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(word).decode('ascii')}?=" for word in words)


def _text_part(subtype: str, text: str) -> str:
    encoded = binascii.b2a_qp(text.replace("\r\n", "\n").encode("utf-8"), istext=True).decode("ascii").replace("\n", "\r\n")
    return f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{encoded}'


def _base64_part(content_type: str, content: bytes, filename: str = "") -> str:
    lines = [f"Content-Type: {content_type}", "Content-Transfer-Encoding: base64"]
    if filename:
        lines.append(f"Content-Disposition: attachment;\r\n {_filename(filename)}")
    encoded = base64.encodebytes(content).decode("ascii").replace("\n", "\r\n")
    return "\r\n".join(lines) + "\r\n\r\n" + encoded


def _filename(name: str) -> str:
    """A plain ASCII name as it is; any other in UTF-8 (RFC 2231), which every current mail client reads."""
    plain = single_line(name)
    if re.fullmatch(r"[A-Za-z0-9 ._()-]+", plain):
        return f'filename="{plain}"'
    return f"filename*=utf-8''{quote(plain, safe='')}"


def _multipart(subtype: str, boundary: str, parts: Sequence[str]) -> str:
    inner = "".join(f"--{boundary}\r\n{part.rstrip(chr(13) + chr(10))}\r\n" for part in parts)
    return f'Content-Type: multipart/{subtype}; boundary="{boundary}"\r\n\r\n{inner}--{boundary}--\r\n'


__all__ = ["Attachment", "Joined", "LANGUAGES", "Link", "OutgoingMessage", "Recipient", "RenderedEmail", "TemplateLibrary", "compose",
           "link", "message_id_for", "single_line"]
