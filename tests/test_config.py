from pathlib import Path

import pytest

from automation.config import DEFAULT_CONFIG_PATH, find_config_path, load_config
from automation.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parent.parent / "config" / "program.example.toml"


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "program.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def error_for(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)


def test_the_documented_example_loads_with_its_dates():
    config = load_config(EXAMPLE)
    assert config.registration.opens.isoformat() == "2026-10-05"
    assert config.programme.timezone == "Europe/Tallinn"
    assert [c.name for c in config.coordinators] == ["Triin Pajo", "Merike Teelahk"]
    assert config.workspace == (EXAMPLE.parent / "workspace").resolve()  # inside the folder the config is copied to
    from automation.jobs.registration_open import reminder_day

    assert reminder_day(config).isoformat() == "2026-11-10"
    assert config.fee_year == 2026


def test_every_key_of_the_example_is_documented():
    documented: set[str] = set()
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if "=" not in stripped or stripped.startswith(("#", '"')):
            continue
        key = stripped.split("=", 1)[0].strip()
        # Documented on its line, by the comment of the line above (a group), or where the key first appeared.
        assert "#" in line or "#" in lines[number - 2] or key in documented, f"line {number} has no comment: {line}"
        documented.add(key)


def test_unknown_key_is_named_with_a_suggestion(tmp_path):
    message = error_for(edited(tmp_path, "reminder_days_before_close = 5", "reminder_days_before_clse = 5"))
    assert "program.toml" in message
    assert "unknown key 'registration.reminder_days_before_clse'" in message
    assert "did you mean 'registration.reminder_days_before_close'" in message


def test_missing_key_is_named(tmp_path):
    message = error_for(edited(tmp_path, 'sender_email = "mentorlus@example.ee"', ""))
    assert "missing key 'association.sender_email'" in message


def test_wrong_type_is_named_with_the_value(tmp_path):
    message = error_for(edited(tmp_path, "opens = 2026-10-05", 'opens = "5. oktoober"'))
    assert "registration.opens" in message and "5. oktoober" in message


def test_bad_email_is_named(tmp_path):
    message = error_for(edited(tmp_path, 'email = "triin.pajo@example.ee"', 'email = "triin.pajo@"'))
    assert "coordinators.0.email" in message


def test_registration_closing_before_it_opens_is_refused(tmp_path):
    message = error_for(edited(tmp_path, "closes = 2026-11-15", "closes = 2026-10-01"))
    assert "registration.closes (2026-10-01) is before registration.opens (2026-10-05)" in message


def test_relationships_outside_the_programme_are_refused(tmp_path):
    message = error_for(edited(tmp_path, "relationships_end = 2027-06-30", "relationships_end = 2027-08-31"))
    assert "relationships_start..relationships_end" in message and "must lie within the programme (2026-10-01..2027-06-30)" in message


def test_unknown_time_zone_is_refused(tmp_path):
    message = error_for(edited(tmp_path, 'timezone = "Europe/Tallinn"', 'timezone = "Europe/Tallin"'))
    assert "programme.timezone" in message and "Europe/Tallin" in message


def test_a_question_mapped_to_an_unknown_field_is_named(tmp_path):
    message = error_for(edited(tmp_path, '"Töökoht" = "workplace"', '"Töökoht" = "workplce"'))
    assert "forms.mentor.questions" in message and "'workplce'" in message and "did you mean 'workplace'" in message


def test_a_required_field_left_unmapped_is_named(tmp_path):
    message = error_for(edited(tmp_path, '"Minu professionaalse arengu eesmärgid" = "goals"\n', ""))
    assert "forms.mentee.questions" in message and "'goals'" in message


def test_invalid_toml_names_the_file(tmp_path):
    path = tmp_path / "program.toml"
    path.write_text("[association\nname = 1", encoding="utf-8")
    assert "not valid TOML" in error_for(path)


def test_config_path_precedence():
    assert find_config_path("cli.toml", {"MENTORLUS_CONFIG": "env.toml"}) == Path("cli.toml")
    assert find_config_path(None, {"MENTORLUS_CONFIG": "env.toml"}) == Path("env.toml")
    assert find_config_path(None, {}) == DEFAULT_CONFIG_PATH


def test_the_local_backend_needs_each_forms_export_path(tmp_path):
    message = error_for(edited(tmp_path, 'responses = "forms/mentor.csv"', ""))
    assert "forms.mentor.responses is missing" in message


def test_the_smtp_transport_needs_its_server(tmp_path):
    from automation.demo import demo_config_text

    path = tmp_path / "program.toml"
    path.write_text(demo_config_text(2026) + '\n[mail]\ntransport = "smtp"\n', encoding="utf-8")
    message = error_for(path)
    assert 'mail.transport is "smtp" but there is no [mail.smtp] section' in message


def test_an_unknown_backend_kind_is_named(tmp_path):
    message = error_for(edited(tmp_path, 'kind = "local"', 'kind = "gogle"'))
    assert "backend.kind" in message and "gogle" in message
