"""A registration form is a public web page: whatever its rows hold, intake goes on, and nothing typed chooses a recipient,
adds a header, becomes a formula, markup or a link, or stops the other rows."""

from __future__ import annotations

import csv
import email
import io
import re
import tempfile
from email import policy
from email.utils import getaddresses
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from automation.cli import ExitStatus, main
from automation.clock import FixedClock
from automation.domain.cells import FORMULA_STARTS
from automation.environment import Environment
from tests.conftest import OPENS, mentee_row
from tests.hostile import ADDRESSES, HOSTILE, hostile_programme

ALLOWED_HEADERS = {"From", "To", "Reply-To", "Subject", "Date", "Message-ID", "Auto-Submitted", "MIME-Version", "Content-Language", "Content-Type"}
TEMPLATE_LINKS = {"https://example.ee/mentorlus", "mailto:triin.pajo@example.ee", "mailto:merike.teelahk@example.ee", "tel:+37255550001",
                  "https://forms.gle/mentee-registreerimine", "https://forms.gle/mentor-registreerimine"}

cell = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30), st.integers(-10**9, 10**9).map(str))
sensible = mentee_row("mari.tamm@example.ee", "Mari Tamm")


@st.composite
def rows(draw) -> list[list[str]]:
    found = []
    for _ in range(draw(st.integers(1, 30))):
        row = list(sensible)
        row[1] = draw(st.one_of(st.sampled_from(ADDRESSES), cell))
        for index in range(len(row)):
            if index != 1 and draw(st.integers(0, 9)) < 4:
                row[index] = draw(cell)
        found.append(row)
    return found


def run(folder: Path, *argv: str) -> tuple[ExitStatus, str]:
    out = io.StringIO()
    status = main(["--config", str(folder / "program.toml"), *argv], Environment(stdout=out, stderr=out, environ={}, clock=FixedClock.on(OPENS)))
    return status, out.getvalue()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rows())
def test_whatever_the_rows_hold_intake_goes_on_safely(answers):
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        workspace = hostile_programme(folder, answers, [[address.split("@")[0], address, "2026"] for address in ADDRESSES])

        status, output = run(folder, "job", "intake")
        assert status == ExitStatus.OK, output

        # Every row that holds anything is in the tab, as itself or as the person's latest answer.
        raw = (workspace / "sheets" / "koordinaatorid" / "Registreerimised.csv").read_text(encoding="utf-8-sig")
        tab = list(csv.DictReader(io.StringIO(raw, newline="")))
        shown = {int(row["Vormi rida"].rsplit(" ", 1)[1]) for row in tab}
        with open(workspace / "forms" / "mentee.csv", encoding="utf-8", newline="") as handle:
            read_back = list(csv.reader(handle))[1:]
        holding = [number for number, row in enumerate(read_back, start=2) if any(cell.strip() for cell in row)]
        people = {row["E-post"] for row in tab if "kinnitust ei saadetud" not in row["Põhjused"]}  # the rows with a usable address
        assert set(holding) >= shown and len(shown) == len(tab)
        assert len(holding) - len(shown) <= sum(1 for row in tab if "vastust, arvestati viimast" in row["Märkused"]) * len(holding)

        # No cell a spreadsheet would run.
        for row in csv.reader(io.StringIO(raw, newline="")):
            for value in row:
                start = value.lstrip(" \t\r\n\x00\u200b\ufeff")
                assert value.startswith("'") or not start.startswith(FORMULA_STARTS) or re.fullmatch(r"[+-]?\d+([.,]\d+)?", value.strip(), re.ASCII), value

        # Each message to exactly one intended address, only our headers, no link or markup from what was typed.
        new = workspace / "outbox" / "new"
        messages = [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in sorted(new.iterdir())] if new.exists() else []
        for message in messages:
            assert set(message.keys()) <= ALLOWED_HEADERS, message.keys()
            recipients = getaddresses([str(value) for name in ("To", "Cc", "Bcc") for value in message.get_all(name, [])])
            assert len(recipients) in (1, 2), recipients
            addresses = {address for _, address in recipients}
            assert addresses <= people | {"triin.pajo@example.ee", "merike.teelahk@example.ee"}, addresses
            html = message.get_body(("html",)).get_content()
            assert set(re.findall(r'href="([^"]+)"', html)) <= TEMPLATE_LINKS
            assert "<script" not in html and "<b>" not in html
        acknowledged = [m for m in messages if "triin.pajo" not in str(m["To"])]
        assert len(acknowledged) == len(people)

        # A second run sends nothing new.
        status, output = run(folder, "job", "intake")
        assert status == ExitStatus.OK and len(list(new.iterdir()) if new.exists() else []) == len(messages)


@given(st.text(alphabet=st.characters(), max_size=60))
def test_a_tidied_answer_has_no_control_format_or_line_separator_character_and_single_spaces(text):
    """Whatever is typed: what every reader sees is NFC, without controls or invisible formatting, its words one space apart."""
    import re
    import unicodedata

    from automation.domain.answers import tidy

    expected = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in unicodedata.normalize("NFC", text))
    assert tidy(text) == re.sub(r"\s+", " ", expected).strip()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=8)),
                         max_size=4), max_size=5))
def test_a_tab_written_reads_back_as_a_fresh_read_of_its_file_gives_it(rows):
    """A tab a run writes is kept for the next run's read instead of being parsed again: what that read gives (or the error
    it raises) is what reading the file afresh gives, whatever the cells hold."""
    from automation.backends.local import files
    from automation.backends.local.sheets import CsvSheets

    def read(sheets: CsvSheets) -> object:
        try:
            return sheets.read_tab("Koordinaatorid", "Registreerimised")
        except Exception as error:  # noqa: BLE001 - the same failure, whichever way the file is read
            return type(error)

    with tempfile.TemporaryDirectory() as directory:
        sheets = CsvSheets(Path(directory))
        sheets.write_tab("Koordinaatorid", "Registreerimised", rows)
        kept = read(sheets)
        files._KEPT.clear()
        assert kept == read(sheets)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12), st.sampled_from(["_x", "\x00=1", "a\x00=1", "\u200b=1", " -1", "-1"])),
                max_size=8))
def test_a_row_is_made_safe_for_a_spreadsheet_as_each_of_its_cells_would_be(row):
    """The whole-row check that lets most rows through untouched neutralises exactly what the cell-by-cell check does."""
    from automation.domain.cells import neutralise, neutralise_row

    assert neutralise_row(row) == [neutralise(cell) for cell in row]
