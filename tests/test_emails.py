import email
import logging
from collections import Counter
from datetime import date, datetime
from email import policy
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from automation.config import bundled_templates_dir
from automation.domain.text import format_day, format_on_day, format_on_weekday_day
from automation.emails import Recipient, RenderedEmail, TemplateLibrary, compose, message_id_for, single_line
from automation.errors import TemplateError
from automation.jobs.base import common_variables
from automation.commands.check import all_template_samples

NOW = datetime(2026, 10, 5, 7, 0, tzinfo=ZoneInfo("Europe/Tallinn"))


@pytest.fixture
def library():
    return TemplateLibrary(bundled_templates_dir())


def message_from(rendered: RenderedEmail, to_name="Mari Tamm"):
    built = compose(
        rendered,
        sender=Recipient("mentorlus@example.ee", "KNÜ mentorprogramm"),
        to=[Recipient("mari.tamm@example.ee", to_name)],
        reply_to=[Recipient("triin.pajo@example.ee", "Triin Pajo")],
        message_id=message_id_for("intake/2026/acknowledgement/mentee/mari.tamm@example.ee", "mentorlus@example.ee"),
        sent_at=NOW,
        language="et",
    )
    return email.message_from_bytes(built.as_bytes(), policy=policy.default)


def test_dates_in_estonian_and_english():
    assert format_day(date(2027, 1, 14), "et") == "14. jaanuar 2027"
    assert format_day(date(2027, 1, 14), "en") == "14 January 2027"
    assert format_on_day(date(2026, 12, 9), "et") == "9. detsembril 2026"
    assert format_on_day(date(2027, 9, 1), "et") == "1. septembril 2027"
    assert format_on_day(date(2027, 5, 3), "et") == "3. mail 2027"
    assert format_on_day(date(2026, 12, 9), "en") == "9 December 2026"
    assert format_on_weekday_day(date(2027, 4, 14), "et") == "kolmapäeval, 14. aprillil 2027"
    assert format_on_weekday_day(date(2027, 4, 16), "et") == "reedel, 16. aprillil 2027"


def test_message_has_both_parts_and_every_header(library, workspace):
    config = workspace.config()
    variables = {**common_variables(config, "et"), **all_template_samples(config, "et")["registration_received"]}
    message = message_from(library.render("registration_received", "et", variables))
    assert message["Subject"] == "Sinu registreerumine menteeks on kätte saadud"
    assert message["From"].addresses[0].display_name == "KNÜ mentorprogramm"
    assert str(message["Reply-To"]) == "Triin Pajo <triin.pajo@example.ee>"
    assert message["Message-ID"].endswith("@example.ee>") and message["Date"] and message["Content-Language"] == "et"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Tere, Mari!" in text and "4. jaanuar 2027" in text
    assert "<p>Tere, Mari!</p>" in html and "<li>" in html


def test_message_id_is_stable_per_key_and_differs_between_keys():
    assert message_id_for("a", "x@example.ee") == message_id_for("a", "x@example.ee")
    assert message_id_for("a", "x@example.ee") != message_id_for("b", "x@example.ee")


def test_a_name_with_line_breaks_cannot_add_a_header(library, workspace):
    config = workspace.config()
    evil = "Mari\r\nBcc: everyone@example.com"
    variables = {**common_variables(config, "et"), "first_name": evil, "name": evil, "role": "mentee"}
    message = message_from(library.render("registration_received", "et", variables), to_name=evil)
    assert message["Bcc"] is None
    assert "\n" not in str(message["To"]) and "Bcc: everyone" in str(message["To"])  # kept as harmless text


def test_form_values_cannot_inject_html(library, workspace):
    config = workspace.config()
    variables = {**common_variables(config, "et"), "first_name": "<script>alert(1)</script>", "name": "x", "role": "mentee"}
    rendered = library.render("registration_received", "et", variables)
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert "<script>alert(1)</script>" in rendered.text  # the text part is plain text, shown as typed


def test_a_missing_variable_names_the_template_and_the_variable(tmp_path):
    (tmp_path / "et").mkdir()
    (tmp_path / "et" / "hello.j2").write_text("{% block subject %}Tere{% endblock %}{% block body %}Tere, {{ nimi }}!{% endblock %}", encoding="utf-8")
    (tmp_path / "layout.html.j2").write_text("{{ body }}", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        TemplateLibrary(tmp_path).render("hello", "et", {"first_name": "Mari"})
    assert "hello.j2" in str(caught.value) and "'nimi' is undefined" in str(caught.value)
    assert "first_name" in caught.value.hint


def test_every_template_renders_in_both_languages_with_the_variables_its_job_gives(library, workspace):
    config = workspace.config()
    for language in ("et", "en"):
        for name, variables in all_template_samples(config, language).items():
            rendered = library.render(name, language, {**common_variables(config, language), **variables})
            assert rendered.subject and rendered.text.strip() and "<p>" in rendered.html


def test_web_addresses_become_links(library, workspace):
    config = workspace.config()
    variables = {**common_variables(config, "et"), **all_template_samples(config, "et")["registration_open"]}
    rendered = library.render("registration_open", "et", variables)
    assert '<a href="https://forms.gle/mentor-registreerimine">' in rendered.html


@settings(max_examples=300, deadline=None)
@given(subject=st.text(max_size=200), name=st.text(max_size=120))
def test_any_subject_and_name_read_back_in_a_mail_client_as_written(subject, name):
    """Decoded as a mail client decodes them: the subject word for word (spaces included), the name as text, one recipient."""
    built = compose(RenderedEmail(subject, "Tere!", "<p>Tere!</p>"), sender=Recipient("mentorlus@example.ee", "KNÜ mentorprogramm"),
                    to=[Recipient("mari.tamm@example.ee", name)], reply_to=[], message_id="<1.mentorlus@example.ee>", sent_at=NOW, language="et")
    raw = email.message_from_bytes(built.data)  # as it is on the wire, encoded words and all
    assert str(make_header(decode_header(raw["Subject"]))) == single_line(subject)
    expected = single_line(name)[:80].strip()
    phrase = raw["To"].rsplit("<", 1)[0].strip() if expected else ""
    decoded = str(make_header(decode_header(phrase))) if phrase.startswith("=?") else phrase[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    assert decoded == expected  # as RFC 2047 decoders (and mail clients) read it
    parsed = email.message_from_bytes(built.data, policy=policy.default)
    [address] = parsed["To"].addresses
    assert address.addr_spec == "mari.tamm@example.ee" and parsed["Bcc"] is None and parsed["Cc"] is None
    # Python's own parser puts a space between encoded words in a name; every letter is there all the same.
    assert address.display_name.replace(" ", "") == expected.replace(" ", "")
    assert all(len(line) <= 998 for line in built.data.split(b"\r\n"))


def test_every_subject_of_a_played_year_reads_in_a_mail_client_as_its_template_rendered_it(tmp_path, caplog):
    from tests.years import play

    with caplog.at_level(logging.INFO, logger="automation.jobs.effects"):
        play(tmp_path / "year", participants=12, seed=5)
    rendered = Counter(record.args[2] for record in caplog.records if record.msg.startswith("sent "))
    shown = Counter()
    for path in (tmp_path / "year" / "workspace" / "outbox" / "new").iterdir():
        raw = email.message_from_bytes(path.read_bytes())
        shown[str(make_header(decode_header(raw["Subject"])))] += 1
    assert shown == rendered and len(shown) > 20
    assert any(" – kovisioonigrupp " in subject or " – " in subject for subject in shown)


def test_an_email_shows_the_association_clickable_contacts_and_emphasised_deadlines_in_a_real_browser(library, workspace, tmp_path, browser):
    config = workspace.config()
    variables = {**common_variables(config, "et"), **all_template_samples(config, "et")["registration_open"]}
    rendered = library.render("registration_open", "et", variables)
    assert "Eesti Karjäärinõustajate Ühing</div>" in rendered.html  # the header
    assert 'href="mailto:triin.pajo@example.ee"' in rendered.html and 'href="tel:+37255550001"' in rendered.html
    assert "<strong>15. november 2026</strong>" in rendered.html and "**" not in rendered.text
    page = tmp_path / "email.html"
    page.write_text(rendered.html, encoding="utf-8")
    shot = browser.screenshot(page, tmp_path / "email.png", width=700, height=1100)
    assert shot.stat().st_size > 30_000


def test_a_template_edited_after_an_earlier_run_compiled_it_reads_as_edited(tmp_path):
    """Compiled templates are kept between processes (a cron run a day); a coordinator's edit is what the next run sends."""
    from automation import emails

    (tmp_path / "et").mkdir()
    (tmp_path / "layout.html.j2").write_text("{{ body }}", encoding="utf-8")
    template = tmp_path / "et" / "hello.j2"
    template.write_text("{% block subject %}Tere{% endblock %}{% block body %}Tere, {{ first_name }}!{% endblock %}", encoding="utf-8")
    assert TemplateLibrary(tmp_path).render("hello", "et", {"first_name": "Mari"}).text.strip() == "Tere, Mari!"
    template.write_text("{% block subject %}Tere{% endblock %}{% block body %}Head päeva, {{ first_name }}!{% endblock %}", encoding="utf-8")
    emails._environments.cache_clear()  # as a new process finds them: only the cache on disk remembers
    assert TemplateLibrary(tmp_path).render("hello", "et", {"first_name": "Mari"}).text.strip() == "Head päeva, Mari!"


def test_a_cache_of_compiled_templates_that_cannot_be_written_or_read_is_no_reason_to_fail(tmp_path, monkeypatch):
    """A temporary folder cleaned away under a long-running scheduler, or something else in its place: the run goes on."""
    from automation import emails

    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setattr(emails, "_compiled_templates", lambda compiled_as: emails._CompiledTemplates(str(folder)))
    (tmp_path / "et").mkdir()
    (tmp_path / "layout.html.j2").write_text("{{ body }}", encoding="utf-8")
    (tmp_path / "et" / "hello.j2").write_text("{% block subject %}Tere{% endblock %}{% block body %}Tere, {{ first_name }}!{% endblock %}", encoding="utf-8")
    try:
        folder.rmdir()  # gone: nothing to read, nowhere to write
        emails._environments.cache_clear()
        assert TemplateLibrary(tmp_path).render("hello", "et", {"first_name": "Mari"}).text.strip() == "Tere, Mari!"
        folder.write_text("not a folder", encoding="utf-8")  # a file in its place: neither read nor written, even by root
        emails._environments.cache_clear()
        assert TemplateLibrary(tmp_path).render("hello", "et", {"first_name": "Mari"}).text.strip() == "Tere, Mari!"
    finally:
        emails._environments.cache_clear()


def test_a_template_compiled_for_the_text_part_is_never_used_for_the_html_part(tmp_path):
    """The same file compiles differently as text and as HTML (escaping is compiled in): a cache shared by the two would
    let a form value through as markup. Rendered in one process, then in a fresh one finding the cache warm."""
    from automation import emails

    (tmp_path / "et").mkdir()
    (tmp_path / "layout.html.j2").write_text("{{ body }}", encoding="utf-8")
    (tmp_path / "et" / "hello.j2").write_text("{% block subject %}Tere{% endblock %}{% block body %}Tere, {{ first_name }}!{% endblock %}", encoding="utf-8")
    for _ in range(2):
        emails._environments.cache_clear()
        rendered = TemplateLibrary(tmp_path).render("hello", "et", {"first_name": "<b>Mari</b>"})
        assert "<b>Mari</b>" in rendered.text and "<b>Mari</b>" not in rendered.html and "&lt;b&gt;Mari&lt;/b&gt;" in rendered.html
    emails._environments.cache_clear()
