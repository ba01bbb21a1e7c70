import email
from email import policy


def test_preview_prints_subject_text_and_html(cli):
    result = cli("preview", "registration_received", "--lang", "et")
    assert result.status == 0
    assert result.stdout.startswith("Subject: Sinu registreerumine menteeks on kätte saadud")
    assert "Tere, Mari!" in result.stdout and "<!DOCTYPE html>" in result.stdout


def test_preview_in_english(cli):
    result = cli("preview", "registration_open", "--lang", "en")
    assert "Registration for the 2026/2027 mentoring programme is open" in result.stdout
    assert "Last day to register: 15 November 2026" in result.stdout


def test_preview_to_a_file_writes_a_message_a_mail_client_opens(tmp_path, cli):
    target = tmp_path / "preview.eml"
    assert cli("preview", "coordinator_digest", "--output", str(target)).status == 0
    message = email.message_from_bytes(target.read_bytes(), policy=policy.default)
    assert message["Subject"].startswith("Mentorprogrammi registreerimised:")
    assert message.get_body(("html",)) is not None


def test_an_unknown_template_lists_the_known_ones(cli):
    result = cli("preview", "tervitus")
    assert result.status == 2 and "kirja malli nimega 'tervitus' ei ole" in result.stderr and "registration_open" in result.stderr
