from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from automation.domain.registrations import (
    EligibilityRules,
    FormMapping,
    Member,
    Registration,
    ResponseTable,
    Role,
    Status,
    assess,
    assess_all,
    latest_per_person,
    parse_responses,
)
from automation.domain.registrations_tab import COMPUTED_COLUMNS, OWNED_COLUMNS, RegistrationsTab
from automation.demo.cohort import MENTEE_HEADER, MENTOR_HEADER
from automation.config import DEFAULT_MENTOR_CERTIFICATES
from tests.conftest import mentee_row, mentor_row

COLUMNS = [*COMPUTED_COLUMNS, *OWNED_COLUMNS]

RULES = EligibilityRules(tuple(DEFAULT_MENTOR_CERTIFICATES), 5, 20, fee_year=2026, programme_start_year=2026)
MEMBERS = {
    "mari.tamm@example.ee": Member("mari.tamm@example.ee", "Mari Tamm", 2026),
    "juri.ounapuu@example.ee": Member("juri.ounapuu@example.ee", "Jüri Õunapuu", 2025),
}


def questions(workspace, role):
    return getattr(workspace.config().forms, role).questions


def parse(workspace, role, rows, header=None):
    header = header or (MENTOR_HEADER if role == "mentor" else MENTEE_HEADER)
    form = getattr(workspace.config().forms, role)
    return parse_responses(Role(role), ResponseTable(header, rows), FormMapping(form.questions, form.answers),
                           default_language="et", timezone="Europe/Tallinn", this_year=2026)


TALLINN = ZoneInfo("Europe/Tallinn")


def test_answers_are_normalised(workspace):
    decomposed = "Ju\u0308ri O\u0303unapuu"  # ü and õ as base letter + combining mark
    [registration] = parse(workspace, "mentor", [mentor_row("  Juri.Ounapuu@EXAMPLE.ee ", f"  {decomposed}  ")])
    assert registration.email == "juri.ounapuu@example.ee"
    assert registration.name == "Jüri Õunapuu"
    assert registration.answers["experience_years"].low == 10
    assert registration.answers["certificates"] == ["karjäärinõustaja"]
    assert registration.submitted_at == datetime(2026, 10, 6, 10, 0, tzinfo=TALLINN)
    assert registration.row == 2


def test_the_latest_response_of_a_person_wins(workspace):
    rows = [
        mentee_row("mari.tamm@example.ee", "Mari Tamm", when="07.10.2026 12:00:00", workplace="Vana töökoht"),
        mentee_row("MARI.TAMM@example.ee", "Mari Tamm", when="09.10.2026 12:00:00", workplace="Uus töökoht"),
        mentee_row("mari.tamm@example.ee", "Mari Tamm", when="08.10.2026 12:00:00", workplace="Vahepealne"),
    ]
    [assessment] = assess_all(parse(workspace, "mentee", rows), MEMBERS, RULES)
    assert assessment.registration.answers["workplace"] == "Uus töökoht"
    assert assessment.responses_counted == 3
    assert "3 vastust, arvestati viimast (rida 3)" in assessment.notes


def test_one_person_may_register_in_both_roles(workspace):
    registrations = parse(workspace, "mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")]) + parse(
        workspace, "mentee", [mentee_row("mari.tamm@example.ee", "Mari Tamm")]
    )
    assessments = assess_all(registrations, MEMBERS, RULES)
    assert len(assessments) == 2
    assert all(any("registreerus ka" in note for note in a.notes) for a in assessments)


def test_a_row_without_a_usable_address_is_kept_with_its_reason(workspace):
    [registration] = parse(workspace, "mentee", [mentee_row("mari.tamm@", "Mari Tamm")])
    assessment = assess(registration, MEMBERS, RULES)
    assert not registration.identified
    assert assessment.status is Status.NEEDS_CLARIFICATION
    assert "e-posti aadress on vigane („mari.tamm@“); kinnitust ei saadetud" in assessment.reasons[0]


def test_an_unreadable_time_is_a_note_not_a_reason(workspace):
    [registration] = parse(workspace, "mentee", [mentee_row("mari.tamm@example.ee", "Mari Tamm", when="eile õhtul")])
    assert registration.submitted_at is None and registration.problems == ()
    assert "vastuse aega ei õnnestunud lugeda („eile õhtul“)" in registration.notes
    assert assess(registration, MEMBERS, RULES).status is Status.ELIGIBLE


def test_export_time_formats_are_read(workspace):
    for stamp, expected in [
        ("2026/10/06 3:04:05 PM EET", datetime(2026, 10, 6, 16, 4, 5, tzinfo=TALLINN)),  # EET in October is an hour behind Tallinn's summer time
        ("2026/10/28 9:59:49 PM GMT+3", datetime(2026, 10, 28, 20, 59, 49, tzinfo=TALLINN)),  # an explicit offset is honoured
        ("2026-10-28T21:59:49+03:00", datetime(2026, 10, 28, 20, 59, 49, tzinfo=TALLINN)),
        ("10/06/2026 15:04:05", datetime(2026, 10, 6, 15, 4, 5, tzinfo=TALLINN)),
        ("2026-10-06 15:04:05", datetime(2026, 10, 6, 15, 4, 5, tzinfo=TALLINN)),
        ("06.10.2026 15:04:05", datetime(2026, 10, 6, 15, 4, 5, tzinfo=TALLINN)),
        ("28.10.2026 21:59:49", datetime(2026, 10, 28, 21, 59, 49, tzinfo=TALLINN)),
    ]:
        [registration] = parse(workspace, "mentee", [mentee_row("mari.tamm@example.ee", "Mari", when=stamp)])
        assert registration.submitted_at == expected, stamp


def test_blank_rows_are_skipped_and_short_rows_padded(workspace):
    rows = [[""] * len(MENTEE_HEADER), mentee_row("mari.tamm@example.ee", "Mari Tamm")[:3]]
    [registration] = parse(workspace, "mentee", rows)
    assert registration.row == 3
    assert "pole selge, kas on valmis tasuma osalustasu (vastamata)" in assess(registration, MEMBERS, RULES).reasons


def mentor(workspace, **answers):
    [registration] = parse(workspace, "mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm", **answers)])
    return assess(registration, MEMBERS, RULES)


def test_an_eligible_mentor(workspace):
    assessment = mentor(workspace)
    assert assessment.status is Status.ELIGIBLE and assessment.reasons == ()
    assert "osaleb tänavusel mentorite koolitusel" in assessment.notes


def test_mentor_rules(workspace):
    assert mentor(workspace, experience="4").status is Status.NOT_ELIGIBLE  # S3.3
    assert mentor(workspace, experience="4").reasons[0] == "töökogemus karjäärispetsialistina „4“ on alla nõutava 5 aasta"
    assert mentor(workspace, certificate="sotsiaaltöötaja").status is Status.NEEDS_CLARIFICATION  # S3.2, as a rule
    assert mentor(workspace, attends="Ei").status is Status.NOT_ELIGIBLE  # S3.4
    trained_before = mentor(workspace, attends="", training_year="2023")
    assert trained_before.status is Status.ELIGIBLE
    assert any("läbitud 2023" in note for note in trained_before.notes)
    assert mentor(workspace, attends="").status is Status.NEEDS_CLARIFICATION
    assert mentor(workspace, principles="").status is Status.NEEDS_CLARIFICATION  # S3.1 unanswered
    assert mentor(workspace, principles="Ei nõustu").status is Status.NOT_ELIGIBLE
    assert mentor(workspace, experience="palju").status is Status.NEEDS_CLARIFICATION


def test_membership_rules():
    for email, expected in [
        ("mari.tamm@example.ee", None),
        ("juri.ounapuu@example.ee", "liikmemaks 2026. aasta eest on tasumata"),
        ("nobody@example.ee", "ei leitud liikmeregistrist (osaleda saavad ühingu liikmed)"),
    ]:
        registration = Registration(Role.MENTEE, email, "X", "et", None,
                                    {"goals": "Soovin areneda nõustajana ja õppida uusi meetodeid.", "agrees_to_fee": True,
                                     "agrees_to_principles": True}, 2)
        assessment = assess(registration, MEMBERS, RULES)
        assert (expected in assessment.reasons) if expected else assessment.status is Status.ELIGIBLE


def test_mentee_rules(workspace):
    def mentee(**answers):
        [registration] = parse(workspace, "mentee", [mentee_row("mari.tamm@example.ee", "Mari Tamm", **answers)])
        return assess(registration, MEMBERS, RULES)

    assert mentee().status is Status.ELIGIBLE
    assert mentee(goals="areneda").status is Status.NEEDS_CLARIFICATION  # S4.3
    assert mentee(goals="").status is Status.NEEDS_CLARIFICATION
    assert mentee(fee="Ei").status is Status.NOT_ELIGIBLE  # S4.5
    assert mentee(principles="Ei").status is Status.NOT_ELIGIBLE  # S4.6


def test_coordinator_decision_overrides_and_survives(workspace):
    [registration] = parse(workspace, "mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm", certificate="sotsiaaltöötaja")])
    assessments = assess_all([registration], MEMBERS, RULES)
    rows = RegistrationsTab().render(assessments, {"mentor": "Mentori vorm"})
    rows[0].append("Helistatud")  # a column the coordinators added
    rows[1][-2:] = ["Sobib", "kutsetunnistus olemas, helistasin"]
    rows[1].append("jah, 12.10")
    tab = RegistrationsTab.read(rows)
    [edited] = tab.apply_decisions(assessments)
    assert edited.status is Status.NEEDS_CLARIFICATION and edited.final_status is Status.ELIGIBLE
    again = tab.render([edited], {"mentor": "Mentori vorm"})
    assert again[0][-3:] == ["Koordinaatori otsus", "Koordinaatori märkus", "Helistatud"]
    assert again[1][-3:] == ["Sobib", "kutsetunnistus olemas, helistasin", "jah, 12.10"]


def test_an_unknown_coordinator_decision_is_reported_and_kept():
    rows = [["Roll", "E-post", "Vormi rida", "Koordinaatori otsus"], ["mentor", "mari.tamm@example.ee", "x, rida 2", "sobbib"]]
    tab = RegistrationsTab.read(rows)
    assert tab.problems and "„sobbib“" in tab.problems[0] and "rida 2" in tab.problems[0]
    assert tab.decision("mentor:mari.tamm@example.ee") is None
    assert tab.render([], {})[1][COLUMNS.index("Koordinaatori otsus")] == "sobbib"


def test_a_row_no_longer_in_the_responses_is_kept_and_noted():
    header = COLUMNS
    typed_in = dict.fromkeys(header, "")
    typed_in.update({"Roll": "mentee", "Nimi": "Ülo Tamm", "E-post": "ulo.tamm@example.ee", "Staatus": "sobib",
                     "Koordinaatori märkus": "registreeris telefoni teel"})
    tab = RegistrationsTab.read([header, [typed_in[column] for column in header]])
    [row] = tab.render([], {})[1:]
    kept = dict(zip(header, row))
    assert kept["Nimi"] == "Ülo Tamm" and kept["Koordinaatori märkus"] == "registreeris telefoni teel"
    assert "vormi vastustes seda inimest praegu ei ole" in kept["Märkused"]
    again = RegistrationsTab.read([header, row]).render([], {})[1]
    assert again == row  # the note is added once


responses = st.lists(
    st.tuples(
        st.sampled_from(["a@example.ee", "b@example.ee", "c@example.ee", "broken@"]),
        st.one_of(st.none(), st.datetimes(min_value=datetime(2026, 10, 1), max_value=datetime(2026, 12, 1)).map(lambda d: d.replace(tzinfo=TALLINN))),
    ),
    max_size=30,
)


@given(responses)
def test_latest_per_person_keeps_each_person_once_and_their_latest(rows):
    registrations = [
        Registration(Role.MENTEE, email if "." in email.split("@")[1] else "", "X", "et", when, {}, row=number + 2, raw_email=email)
        for number, (email, when) in enumerate(rows)
    ]
    kept = latest_per_person(registrations)
    keys = [registration.key for registration, _ in kept]
    assert len(keys) == len(set(keys))
    assert sum(count for _, count in kept) == len(registrations)  # nothing dropped
    for registration, _ in kept:
        same = [r for r in registrations if r.key == registration.key]
        key = lambda r: (r.submitted_at is not None, r.submitted_at.timestamp() if r.submitted_at else 0, r.row)  # noqa: E731
        assert key(registration) == max(key(r) for r in same)
