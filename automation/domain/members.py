"""The members register (S1.1, S3.5, S4.4): a sheet tab of email, name and the year paid up to.

    members, problems = parse_members(rows, email_column="E-post", name_column="Nimi",
                                      paid_until_column="Liikmemaks tasutud (aasta)")
"""

from __future__ import annotations

import re
from typing import Sequence

from automation.domain.cells import blank
from automation.domain.registrations import Member, check_email, normalise_text
from automation.errors import InputError


def parse_members(
    rows: Sequence[Sequence[str]], *, email_column: str, name_column: str, paid_until_column: str, where: str
) -> tuple[dict[str, Member], list[str]]:
    """Members by normalised email, and a message for each row that could not be read."""
    if not rows:
        raise InputError(
            f"the members register {where} is empty or missing",
            hint="export the register with the columns named in [members] of the config",
            message_et=f"liikmeregister ({where}) on tühi või puudub",
            hint_et="salvesta liikmeregister sinna veergudega, mis on seadistusfaili jaotises [members]",
        )
    header = [normalise_text(title).casefold() for title in rows[0]]
    positions = {}
    for key, title in (("email_column", email_column), ("name_column", name_column), ("paid_until_column", paid_until_column)):
        wanted = normalise_text(title).casefold()
        if wanted not in header:
            raise InputError(
                f"the members register {where} has no column „{title}“ (config key members.{key})",
                hint=f"rename the column or set members.{key} to one of: {', '.join(rows[0])}",
                message_et=f"liikmeregistris ({where}) ei ole veergu „{title}“",
                hint_et=f"nimeta veerg ümber või kirjuta seadistusfaili members.{key} väärtuseks üks neist: {', '.join(rows[0])}",
            )
        positions[key] = header.index(wanted)
    members: dict[str, Member] = {}
    problems = []
    for number, row in enumerate(rows[1:], start=2):
        if blank(row):
            continue

        def cell(key: str) -> str:
            position = positions[key]
            return row[position] if position < len(row) else ""

        email, why = check_email(cell("email_column"))
        if email is None:
            problems.append(f"liikmeregister, rida {number}: {why or 'e-posti aadress puudub'}")
            continue
        paid = re.search(r"\b(19|20)\d\d\b", cell("paid_until_column"))
        members[email] = Member(email, normalise_text(cell("name_column")), int(paid.group(0)) if paid else None)
    return members, problems
