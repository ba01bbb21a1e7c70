"""Pairs end to end on the local backend: match, committee review, confirmation, changes (S5, S6)."""

import csv
from datetime import date, timedelta


from automation.cli import ExitStatus

from tests.test_exactly_once import run

MATCH_DAY = date(2026, 11, 30)
NEXT_DAY = date(2026, 12, 1)


def pairs(workspace):
    return workspace.tab(tab="Paarid")


def by_mentee(workspace):
    return {row["Mentee e-post"]: row for row in pairs(workspace)}


def set_status(workspace, changes: dict[str, str], **extra):
    rows = pairs(workspace)
    for row in rows:
        if row["Mentee e-post"] in changes:
            row["Staatus"] = changes[row["Mentee e-post"]]
            row.update(extra.get(row["Mentee e-post"], {}))
    workspace.write_tab(rows, tab="Paarid")


def test_match_proposes_explained_pairs_and_gives_reasons_for_the_rest(cohort, cli):
    result = cli("match", today=MATCH_DAY)
    assert result.status == ExitStatus.OK, result.stderr
    rows = by_mentee(cohort)
    assert rows["tonu.kask@example.ee"]["Mentori e-post"] == "mari.tamm@example.ee"
    assert "ühised teemad: grupinõustamine, karjääriinfo" in rows["tonu.kask@example.ee"]["Põhjendus"]
    assert "sama piirkond: Tartumaa" in rows["tonu.kask@example.ee"]["Põhjendus"]
    assert rows["zanna.poder@example.ee"]["Mentori e-post"] == "juri.ounapuu@example.ee"
    # Külli offered two places.
    assert rows["ulo.mand@example.ee"]["Mentori e-post"] == "kulli.saask@example.ee"
    assert rows["siiri.lohmus@example.ee"]["Mentori e-post"] == "kulli.saask@example.ee"
    assert rows["john.smith@example.ee"]["Staatus"] == "paarita"
    assert rows["john.smith@example.ee"]["Põhjendus"] == "ühelgi mentoril pole mentee keelt (inglise)"
    assert all(row["Staatus"] in ("ettepanek", "paarita") for row in rows.values())
    assert "<" in rows["tonu.kask@example.ee"]["Teised sobivad mentorid"]
    [ready] = [m for m in cohort.messages_to("triin.pajo@example.ee") if m["Subject"].startswith("Paaride ettepanek")]
    assert "Ettepanekus on 4 paari. Ilma paarita jäi üks mentee." in ready.get_body(("plain",)).get_content()


def test_committee_edits_survive_and_rejected_pairs_are_never_proposed_again(cohort, cli):
    cli("match", today=MATCH_DAY)
    set_status(cohort, {"tonu.kask@example.ee": "heaks kiidetud", "zanna.poder@example.ee": "tagasi lükatud"},
               **{"tonu.kask@example.ee": {"Kolleegiumi märkus": "hea paar"}})
    rows = pairs(cohort)
    rows[0]["Kolleegiumi lisaveerg"] = "x"
    cohort.write_tab(rows, tab="Paarid")
    cli("match", today=NEXT_DAY)
    after = by_mentee(cohort)
    assert after["tonu.kask@example.ee"]["Staatus"] == "heaks kiidetud"
    assert after["tonu.kask@example.ee"]["Kolleegiumi märkus"] == "hea paar"
    assert "Kolleegiumi lisaveerg" in pairs(cohort)[0]
    zanna = [r for r in pairs(cohort) if r["Mentee e-post"] == "zanna.poder@example.ee"]
    assert [r["Staatus"] for r in zanna] == ["tagasi lükatud", "ettepanek"]
    assert zanna[1]["Mentori e-post"] not in ("juri.ounapuu@example.ee", "mari.tamm@example.ee")  # rejected; Mari is taken


def test_confirmation_sends_each_effect_once_and_marks_the_pair(cohort, cli):
    cli("match", today=MATCH_DAY)
    set_status(cohort, {"tonu.kask@example.ee": "heaks kiidetud"})
    assert cli("run", today=NEXT_DAY).status == ExitStatus.OK
    cli("run", today=date(2026, 12, 2))
    [to_mentee] = [m for m in cohort.messages_to("tonu.kask@example.ee") if m["Subject"].startswith("Sinu mentor")]
    assert to_mentee["Subject"] == "Sinu mentor mentorprogrammis on Mari Tamm"
    text = to_mentee.get_body(("plain",)).get_content()
    assert "mari.tamm@example.ee" in text and "7 päeva jooksul, hiljemalt 8. detsembril 2026" in text
    assert "https://forms.gle/kohtumiste-logi" in text
    [attachment] = list(to_mentee.iter_attachments())
    assert attachment.get_filename() == "Koostöökokkulepe – Tõnu Kask ja Mari Tamm.html"
    [to_mentor] = [m for m in cohort.messages_to("mari.tamm@example.ee") if "mentee" in m["Subject"]]
    assert to_mentor["Subject"] == "Sinu mentee mentorprogrammis on Tõnu Kask"
    assert "tonu.kask@example.ee" in to_mentor.get_body(("plain",)).get_content()
    row = by_mentee(cohort)["tonu.kask@example.ee"]
    assert row["Staatus"] == "kinnitatud" and row["Kinnitatud"] == "2026-12-01" and row["Koostöökokkulepe"].endswith(".html")
    agreements = list((cohort.path / "drive" / "2026" / "koostöökokkulepped").iterdir())
    assert len(agreements) == 1
    with open(cohort.path / "drive" / "sharing.csv", encoding="utf-8-sig") as handle:
        shared = {row["E-post"] for row in csv.DictReader(handle)}
    assert shared == {"tonu.kask@example.ee", "mari.tamm@example.ee"}


def test_the_agreement_holds_what_s6_asks(cohort, cli):
    cli("match", today=MATCH_DAY)
    set_status(cohort, {"tonu.kask@example.ee": "heaks kiidetud"})
    cli("job", "pair-confirmation", today=NEXT_DAY)
    [document] = list((cohort.path / "drive" / "2026" / "koostöökokkulepped").iterdir())
    html = document.read_text(encoding="utf-8")
    for expected in ("Tõnu Kask", "Mari Tamm", "4. jaanuar 2027 – 30. juuni 2027", "vähemalt 6 korda",
                     "vastastikune usaldus", "mentorsuhe lõpetada", "Meie ootused", "Esialgne ajakava", "<td>6.</td>"):
        assert expected in html, expected


def test_a_crash_between_the_two_emails_sends_only_the_missing_one(cohort, cli):
    from tests.test_exactly_once import crashing_backends

    cli("match", today=MATCH_DAY)
    set_status(cohort, {"tonu.kask@example.ee": "heaks kiidetud"})
    before = len(cohort.messages())
    run(cohort, "job", "pair-confirmation", today=NEXT_DAY, backends_factory=crashing_backends(before_send=2))
    assert len(cohort.messages()) == before + 1
    assert by_mentee(cohort)["tonu.kask@example.ee"]["Staatus"] == "heaks kiidetud"  # not yet marked
    run(cohort, "job", "pair-confirmation", today=NEXT_DAY)
    assert len(cohort.messages()) == before + 2
    assert by_mentee(cohort)["tonu.kask@example.ee"]["Staatus"] == "kinnitatud"
    assert len(list((cohort.path / "drive" / "2026" / "koostöökokkulepped").iterdir())) == 1


def test_a_dry_run_creates_no_agreement_and_confirms_nothing(cohort, cli):
    cli("match", today=MATCH_DAY)
    set_status(cohort, {"tonu.kask@example.ee": "heaks kiidetud"})
    result = cli("job", "pair-confirmation", "--dry-run", today=NEXT_DAY)
    assert "looks koostöökokkuleppe „Koostöökokkulepe – Tõnu Kask ja Mari Tamm“" in result.stdout
    assert "saadaks [paari kinnitus menteele] saajale Tõnu Kask <tonu.kask@example.ee>" in result.stdout
    assert not (cohort.path / "drive" / "2026").exists()
    assert by_mentee(cohort)["tonu.kask@example.ee"]["Staatus"] == "heaks kiidetud"


def test_bad_rows_get_a_clear_message_and_nothing_is_lost(cohort, cli):
    cli("match", today=MATCH_DAY)
    set_status(cohort, {"tonu.kask@example.ee": "heaks kiitud", "zanna.poder@example.ee": "heaks kiidetud"},
               **{"zanna.poder@example.ee": {"Mentori e-post": "jyri@example.ee"}})
    result = cli("run", today=NEXT_DAY)
    assert "staatus „heaks kiitud“ on tundmatu" in result.stderr
    assert "mentor „jyri@example.ee“ pole sobivate mentorite seas" in result.stderr
    rows = by_mentee(cohort)
    assert rows["tonu.kask@example.ee"]["Staatus"] == "heaks kiitud"  # kept as typed, not acted on
    assert rows["zanna.poder@example.ee"]["Mentori e-post"] == "jyri@example.ee"
    [notice] = [m for m in cohort.messages_to("triin.pajo@example.ee") if m["Subject"].startswith("Mentorpaarid")]
    text = notice.get_body(("plain",)).get_content()
    assert "Paarid, rida" in text and "heaks kiitud" in text and "jyri@example.ee" in text
    cli("match", today=date(2026, 12, 2))
    rows = by_mentee(cohort)
    assert rows["tonu.kask@example.ee"]["Staatus"] == "heaks kiitud"  # a typo holds the pair; it is not re-proposed
    assert not [m for m in cohort.messages() if "Sinu mentor" in str(m["Subject"])]


def test_an_ended_pair_is_told_once_and_the_mentee_matched_again(cohort, cli):
    cli("match", today=MATCH_DAY)
    set_status(cohort, {"tonu.kask@example.ee": "heaks kiidetud"})
    cli("run", today=NEXT_DAY)
    set_status(cohort, {"tonu.kask@example.ee": "lõppenud"}, **{"tonu.kask@example.ee": {"Kolleegiumi märkus": "mentee soovis vahetust"}})
    cli("run", today=date(2027, 1, 20))
    cli("run", today=date(2027, 1, 21))
    told = [m for m in cohort.messages_to("triin.pajo@example.ee") if m["Subject"].startswith("Mentorpaaride muudatused")]
    assert len(told) == 1
    assert "Tõnu Kask ja Mari Tamm: lõppenud; mentee soovis vahetust (mentori koht vabaneb)" in told[0].get_body(("plain",)).get_content()
    cli("match", today=date(2027, 1, 22))
    tonu = [r for r in pairs(cohort) if r["Mentee e-post"] == "tonu.kask@example.ee"]
    assert [r["Staatus"] for r in tonu] == ["lõppenud", "ettepanek"]
    assert tonu[1]["Mentori e-post"] != "mari.tamm@example.ee"  # never the same pair again
    mari_free = any(r["Mentori e-post"] == "mari.tamm@example.ee" and r["Staatus"] == "ettepanek" for r in pairs(cohort))
    assert mari_free  # her place was freed, and another mentee gets her


def test_an_ended_pair_can_keep_the_mentors_place(cohort, cli):
    cli("match", today=MATCH_DAY)
    set_status(cohort, {"tonu.kask@example.ee": "heaks kiidetud"})
    cli("run", today=NEXT_DAY)
    set_status(cohort, {"tonu.kask@example.ee": "lõppenud"}, **{"tonu.kask@example.ee": {"Mentori koht vabaneb": "ei"}})
    cli("match", today=date(2027, 1, 22))
    assert not any(r["Mentori e-post"] == "mari.tamm@example.ee" and r["Staatus"] == "ettepanek" for r in pairs(cohort))


def test_match_refuses_while_a_form_is_unreadable(cohort, cli):
    from automation.demo.cohort import MENTOR_HEADER

    cohort.write_form("mentor", [], header=MENTOR_HEADER[:4])
    result = cli("match", today=MATCH_DAY)
    assert result.status == ExitStatus.JOB_FAILED and "paare ei saa moodustada, kui registreerimisvormi ei õnnestu lugeda" in result.stderr
    assert not (cohort.path / "sheets" / "koordinaatorid" / "Paarid.csv").exists()


def test_a_mentee_the_committee_leaves_without_a_pair_is_told_once_and_not_proposed_again(cohort, cli):
    cli("match", today=MATCH_DAY)
    rows = cohort.tab(tab="Paarid")
    [john] = [row for row in rows if row["Mentee e-post"] == "john.smith@example.ee"]
    assert john["Staatus"] == "paarita"
    assert not cohort.messages_to("john.smith@example.ee")[1:]  # the proposal alone tells the mentee nothing
    john["Staatus"] = "jääb paarita"
    cohort.write_tab(rows, tab="Paarid")
    cli("job", "pair-confirmation", today=NEXT_DAY)
    cli("job", "pair-confirmation", today=NEXT_DAY + timedelta(days=1))
    told = [m for m in cohort.messages_to("john.smith@example.ee") if "mentoring pair" in str(m["Subject"])]
    assert len(told) == 1 and "no mentor who suited you" in told[0].get_body(("plain",)).get_content()
    cli("match", today=NEXT_DAY + timedelta(days=2))
    assert [row["Staatus"] for row in cohort.tab(tab="Paarid") if row["Mentee e-post"] == "john.smith@example.ee"] == ["jääb paarita"]
