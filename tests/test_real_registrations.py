"""Registrations as a new association's people really fill them in (tests/fixtures/tartu): its own forms, wording and config.

The fixture is two Google Forms exports of 55 answers, written the way people
answer (years as "4,5", "üle 10", "alla aasta", "kaks"; languages in any
order and script; "Jah, 2020"; "Jah, kui tööandja maksab"), with the flaws
real exports have (a second submission, a blank line, a header with a
trailing space, locale timestamps with offsets, an unreadable time, addresses
with capitals, accents and typos) and what an attacker would type. Its
`expected.csv` is what a coordinator who knows the programme's rules would
decide for each person, written by hand.
"""

from __future__ import annotations

import csv
import email
import re
import shutil
from datetime import date
from email import policy
from email.utils import getaddresses
from pathlib import Path

import pytest

from automation.cli import ExitStatus
from tests.conftest import Run

FIXTURE = Path(__file__).parent / "fixtures" / "tartu"
DAY = date(2026, 10, 25)


@pytest.fixture
def association(tmp_path):
    folder = tmp_path / "tartu"
    shutil.copytree(FIXTURE, folder)
    return folder


def run(folder: Path, *argv: str, today: date = DAY) -> Run:
    import io

    from automation.cli import main
    from automation.clock import FixedClock
    from automation.environment import Environment

    out, err = io.StringIO(), io.StringIO()
    status = main(["--config", str(folder / "program.toml"), *argv], Environment(stdout=out, stderr=err, environ={}, clock=FixedClock.on(today)))
    return Run(status, out.getvalue(), err.getvalue())


def tab(folder: Path) -> list[dict[str, str]]:
    with open(folder / "workspace" / "sheets" / "koordinaatorid" / "Registreerimised.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def messages(folder: Path) -> list[email.message.EmailMessage]:
    new = folder / "workspace" / "outbox" / "new"
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in sorted(new.iterdir())] if new.exists() else []


def expected() -> list[dict[str, str]]:
    with open(FIXTURE / "expected.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def by_form_row(rows: list[dict[str, str]], role: str, number: str) -> dict[str, str]:
    [found] = [row for row in rows if row["Roll"] == role and row["Vormi rida"].endswith(f", rida {number}")]
    return found


def row_of(rows: list[dict[str, str]], role: str, address: str) -> dict[str, str]:
    found = [row for row in rows if row["Roll"] == role and row["E-post"] == address]
    assert len(found) == 1, (role, address, [row["E-post"] for row in rows if row["Roll"] == role])
    return found[0]


def test_every_registrant_gets_the_status_a_coordinator_would_give(association):
    result = run(association, "job", "intake")
    assert result.status == ExitStatus.OK, result.stdout + result.stderr
    rows = tab(association)
    wanted = expected()
    assert len(rows) == len(wanted) == 53  # 55 answers, two of them second submissions; nobody lost
    wrong = []
    for case in wanted:
        row = by_form_row(rows, case["role"], case["form row"])
        if row["Staatus"] != case["status"] or case["reason holds"] not in row["Põhjused"]:
            wrong.append(f"{case['email'][:40]}: {row['Staatus']} ({row['Põhjused']}); expected {case['status']} ({case['reason holds']})")
    assert wrong == []


def test_reasons_name_the_rule_in_words_and_quote_the_answer(association):
    run(association, "job", "intake")
    rows = tab(association)
    assert not [row for row in rows if re.search(r"\bS\d", row["Põhjused"] + row["Märkused"])]
    helen = row_of(rows, "mentor", "helen.koppel@rajaleidja.ee")
    assert helen["Põhjused"] == "töökogemust ei õnnestunud vastusest „palju“ välja lugeda; nõutav on vähemalt 5 aastat"
    tiit = row_of(rows, "mentor", "tiit.lepp@gmail.com")  # a fraction is kept: 4,5 is not 4, and not 5
    assert tiit["Põhjused"] == "töökogemus karjäärispetsialistina „4,5“ on alla nõutava 5 aasta"


def test_mentee_experience_and_languages_never_question_a_registration(association):
    run(association, "job", "intake")
    rows = tab(association)
    for address in ("olga.petrova@kool.ee", "kaisa.lind@rajaleidja.ee", "jaanika.ots@kool.ee", "aivi.post@rajaleidja.ee", "anneli.pukk@kool.ee"):
        assert row_of(rows, "mentee", address)["Staatus"] == "sobib", address  # "alla aasta", "palju", 5,000 ones, Ukrainian
    assert row_of(rows, "mentee", "olga.petrova@kool.ee")["Keel"] == "et"  # Russian: written to in the programme's language
    assert row_of(rows, "mentee", "helena.kuld@ut.ee")["Keel"] == "en"
    assert row_of(rows, "mentor", "natalja.smirnova@tootukassa.ee")["Keel"] == "et"  # "русский"


def test_one_question_with_several_meanings_and_a_conditional_yes(association):
    run(association, "job", "intake")
    rows = tab(association)
    assert "mentorite koolitus läbitud 2020, tänavune koolitus on valikuline" in row_of(rows, "mentor", "kadri.kask@tartu.ee")["Märkused"]
    assert "mentorite koolitus läbitud varem" in row_of(rows, "mentor", "jaan.tamm@kool.ee")["Märkused"]  # "Jah" with no year
    assert "osaleb tänavusel mentorite koolitusel" in row_of(rows, "mentor", "urmas.kask@kool.ee")["Märkused"]  # "Ei, aga soovin osaleda"
    assert row_of(rows, "mentee", "kaisa.lind@rajaleidja.ee")["Staatus"] == "sobib"  # "Jah, kui tööandja maksab"


def test_timestamps_with_an_offset_are_read_in_tallinn_time_and_the_latest_submission_wins(association):
    run(association, "job", "intake")
    rows = tab(association)
    assert row_of(rows, "mentor", "maie.oja@rajaleidja.ee")["Vastatud"] == "2026-10-07 08:03"  # 8:03 AM GMT+3 is 8:03 in Tallinn's summer
    assert row_of(rows, "mentee", "kaisa.lind@rajaleidja.ee")["Vastatud"] == "2026-10-07 21:59"
    mari = row_of(rows, "mentee", "mari.mets@tootukassa.ee")
    assert mari["Töökoht"] == "Töötukassa Tartu, noorte osakond" and "2 vastust, arvestati viimast" in mari["Märkused"]
    hannes = row_of(rows, "mentee", "hannes.vill@kool.ee")
    assert hannes["Staatus"] == "sobib" and "vastuse aega ei õnnestunud lugeda („eile õhtul“)" in hannes["Märkused"]


def test_acknowledgements_go_once_to_exactly_the_registrant_and_nothing_typed_becomes_a_link(association):
    run(association, "job", "intake")
    sent = messages(association)
    run(association, "job", "intake", today=date(2026, 10, 26))
    assert len(messages(association)) == len(sent)  # a second run sends nothing new
    identified = [row for row in tab(association) if "@" in row["E-post"] and "kinnitust ei saadetud" not in row["Põhjused"]]
    acknowledgements = [m for m in sent if "aino@tks.example" not in str(m["To"])]
    assert sorted(getaddresses([str(m["To"])])[0][1] for m in acknowledgements) == sorted(row["E-post"] for row in identified)
    for message in sent:
        recipients = getaddresses([str(value) for name in ("To", "Cc", "Bcc") for value in message.get_all(name, [])])
        assert len(recipients) == 1 and "kuri.example" not in recipients[0][1], message["To"]
        assert set(message.keys()) <= {"From", "To", "Reply-To", "Subject", "Date", "Message-ID", "Auto-Submitted", "MIME-Version",
                                       "Content-Language", "Content-Type"}
        html = message.get_body(("html",)).get_content()
        links = set(re.findall(r'href="([^"]+)"', html))
        assert links <= {"https://forms.gle/tks-mentor", "https://forms.gle/tks-mentee", "https://tks.example/mentorlus",
                         "mailto:aino@tks.example", "tel:+37251234567"}, links
        assert "<script>" not in html and "<b>rohkem" not in html
    raili = next(m for m in sent if "raili.tamm@firma.ee" in str(m["To"]))
    assert raili["To"].addresses[0].addr_spec == "raili.tamm@firma.ee" and len(raili["To"].addresses[0].display_name) <= 80
    digest = next(m for m in sent if "aino@tks.example" in str(m["To"]))
    text = digest.get_body(("html",)).get_content()
    assert "https://laura.example/cv" in text and 'href="https://laura.example' not in text  # a name as typed: shown, never a link


def test_check_says_how_many_rows_it_understood_and_lists_every_answer_it_could_not_read(association):
    result = run(association, "check", today=date(2026, 10, 20))
    assert "korras: vorm mentor: kõik 14 seotud küsimust on olemas; täielikult arusaadavaid ridu 23/28" in result.stdout
    assert "vaata üle: vorm mentor: küsimuse „Mitu aastat oled töötanud karjäärispetsialistina?“ vastus „palju“ (1 reas)" in result.stdout
    assert "vaata üle: vorm mentee: küsimuse „Osalustasu on 60 eurot. Kas oled valmis selle tasuma?“ vastus „Vajan arutamist“ (1 reas)" in result.stdout
    assert "vastus „Jah“" not in result.stdout  # mapped: trained in an earlier year, the year left out
