"""Events of the programme (S3.4, S7.1-S7.3): who is invited, covision groups, facilitators in rotation.

    groups = assign_groups(people, capacity=8, existing={"mari@x.ee": 0})
    facilitator = choose_facilitator(members, history={"mari@x.ee": 1}, volunteers={"juri@x.ee"}, unwilling=set())

Groups are stable: whoever is in a group stays in it, newcomers join the
smallest group. Rotation: nobody facilitates twice before every willing
member has facilitated once; volunteers go first.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence


@dataclass(frozen=True)
class Invitee:
    email: str
    name: str
    language: str = "et"
    role: str = "mentor"
    workplace: str = ""
    optional: bool = False

    @property
    def first_name(self) -> str:
        return self.name.split(" ")[0] if self.name else ""


def version_of(*parts: object) -> str:
    """What an invitation shows (time, place, title): when it changes, everyone invited gets an update."""
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode("utf-8")).hexdigest()[:16]


def assign_groups(people: Sequence[Invitee], capacity: int, existing: Mapping[str, int]) -> dict[str, int]:
    """Each person's group (0, 1, ...): as many groups as the capacity needs, sizes within one of each other.

    People already placed keep their group. Newcomers go to the smallest
    group, and among equals to the one with fewest colleagues from their
    workplace, since covision cases are better discussed away from colleagues.
    """
    present = {person.email for person in people}
    groups = {email: group for email, group in existing.items() if email in present}
    count = max(max(groups.values(), default=-1) + 1, math.ceil(len(people) / capacity), 1)
    members: list[list[Invitee]] = [[] for _ in range(count)]
    by_email = {person.email: person for person in people}
    for email, group in groups.items():
        members[group].append(by_email[email])
    # How many of each workplace every group holds, kept as newcomers join: not counted again for each newcomer.
    colleagues = [Counter(member.workplace for member in group) for group in members]
    newcomers = sorted((p for p in people if p.email not in groups), key=lambda p: (p.workplace, p.name, p.email))
    for person in newcomers:
        target = min(
            range(count),
            key=lambda g: (len(members[g]), colleagues[g][person.workplace] if person.workplace else 0, g),
        )
        members[target].append(person)
        colleagues[target][person.workplace] += 1
        groups[person.email] = target
    return groups


def choose_facilitator(
    members: Sequence[str], history: Mapping[str, int], volunteers: Iterable[str], unwilling: Iterable[str]
) -> str | None:
    """The next facilitator of a group: fewest turns so far, volunteers first; None when nobody is willing."""
    volunteers, unwilling = set(volunteers), set(unwilling)
    willing = [member for member in members if member not in unwilling]
    if not willing:
        return None
    return min(willing, key=lambda member: (history.get(member, 0), member not in volunteers, members.index(member)))
