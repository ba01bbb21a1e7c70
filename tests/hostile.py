"""What an attacker types into a public registration form, for the property test and the intake benchmark.

    row = hostile_mentee_row(random.Random(1))     # a row of the demo's mentee form: some cells sensible, some not
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from automation.demo import demo_config_text
from automation.demo.cohort import MEMBERS_HEADER, MENTEE_QUESTIONS
from tests.conftest import mentee_row

HOSTILE = [
    "=1+1", "+372 5555 0101", "-٣", "-5", "\x00=1+1", "\u200b=HYPERLINK(\"http://kuri.example\",\"x\")", "\ufeff@SUM(A1:A9)",
    "\t=1+1", "\r=1+1", " =cmd|' /C calc'!A0", "@kuri", "=?utf-8?q?Mari=0D=0ABcc=3A_a=40kuri.example?=",
    "=?utf-8?b?TWFyaQ0KQmNjOiBhQGt1cmkuZXhhbXBsZQ==?=", "Mari Tamm, a@kuri.example, " * 5, 'Mari "Tamm" <a@kuri.example>; ' * 8,
    "Mari\r\nBcc: a@kuri.example", "Mari\nTo: a@kuri.example", "<script>alert(1)</script>", "<b>paks</b> & <i>kaldu</i>",
    "https://kuri.example/x?a=1&b=2", "www.kuri.example", "javascript:alert(1)", "&#34;&lt;", "\ue000https://kuri.example\ue001",
    "1" * 5000, "9" * 4301, "4,5", "üle 10", "alla aasta", "jah", "ei", "Jah, kui tööandja maksab", "", " ", "\x1b[31m",
    "õie@näide.ee", "mari@näide.ee", "a@b", "@", "mari.tamm@example.ee ", "MARI.TAMM@EXAMPLE.EE", "\"mari\"@example.ee",
    "mari(kommentaar)@example.ee", "Mari <mari@example.ee>", "mari@example.ee, a@kuri.example", "😀" * 50, "Ž" * 300,
    "2026/10/28 9:59:49 PM GMT+3", "28.10.2026 21:59:49", "32.13.2026 25:61:61", "2026-10-28T21:59:49+03:00",
]
ADDRESSES = ["mari.tamm@example.ee", "juri.ounapuu@example.ee", "kulli.saask@example.ee", "tonu.kask@example.ee", "zanna.poder@example.ee"]


def hostile_text(rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.55:
        return rng.choice(HOSTILE)
    if choice < 0.8:
        return "".join(chr(rng.choice([rng.randint(0, 0x7f), rng.randint(0x80, 0x2fff), rng.randint(0xe000, 0xffff)])) for _ in range(rng.randint(0, 40)))
    return str(rng.randint(-10**6, 10**6))


def hostile_mentee_row(rng: random.Random, when: str | None = None) -> list[str]:
    """A mentee row: each cell, with some chance, what an attacker would type; the address often a real one."""
    row = mentee_row(rng.choice(ADDRESSES), "Mari Tamm", when=when or f"{rng.randint(5, 30):02d}.10.2026 {rng.randint(0, 23):02d}:00:00")
    for index in range(len(row)):
        if rng.random() < 0.4:
            row[index] = hostile_text(rng)
    return row


HEADER = ["Ajatempel", *MENTEE_QUESTIONS]


def hostile_programme(folder: Path, rows: list[list[str]], members: list[list[str]]) -> Path:
    """The demo's config in `folder`, the rows as the mentee form's export, the members register; the workspace."""
    (folder / "program.toml").write_text(demo_config_text(2026), encoding="utf-8")
    workspace = folder / "workspace"
    (workspace / "forms").mkdir(parents=True)
    (workspace / "sheets" / "liikmed").mkdir(parents=True)
    with open(workspace / "forms" / "mentee.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER] + rows)
    with open(workspace / "sheets" / "liikmed" / "Liikmed.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([MEMBERS_HEADER] + members)
    return workspace
