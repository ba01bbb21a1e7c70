"""Job `match` (S5.2, S5.5), also `mentorlus match`: pair proposals into the Pairs tab for the committee.

Proposes an optimal set of pairs among the eligible registrations, with each
pair's points, reasons and two alternatives, and gives every mentee left
without a mentor a reason. The committee's rows (approved, rejected,
confirmed, ended, ...) are never moved: approved pairs stay, rejected and
ended pairs are never proposed again, and an ended pair frees the mentee and,
unless the coordinators wrote "ei" in "Mentori koht vabaneb", the mentor.
"""

from __future__ import annotations

from automation.config import Config
from automation.domain.matching import Person, Rules, Weights, person_from, propose
from automation.domain.pairs import PairsTab
from automation.domain.programme import Schedule
from automation.domain.registrations import Role, normalise_email
from automation.errors import InputError
from automation.jobs.attendance import NOT_ATTENDED, training_of_mentors
from automation.jobs.base import JobContext, JobResult, Milestone, fingerprint, tell_coordinators_once
from automation.jobs.intake import Assessed, assess_registrations

NAME = "match"
PAIRS_TAB = "Paarid"


def eligible_people(assessed: Assessed) -> tuple[dict[str, Person], dict[str, Person]]:
    if assessed.reading.unreadable:
        raise InputError(
            "cannot form pairs while a registration form cannot be read: " + "; ".join(assessed.reading.unreadable.values()),
            hint="fix the form as the intake job's message says, then run `mentorlus match` again",
        )
    mentees = {a.registration.email: person_from(a) for a in assessed.eligible(Role.MENTEE)}
    mentors = {a.registration.email: person_from(a) for a in assessed.eligible(Role.MENTOR)}
    return mentees, mentors


def read_pairs(
    context: JobContext,
    mentees: dict[str, Person] | None = None,
    mentors: dict[str, Person] | None = None,
    rows: list[list[str]] | None = None,
) -> PairsTab:
    """The Pairs tab; approved rows are checked against the eligible people when they are given."""
    if rows is None:
        rows = context.backends.sheets.read_tab(context.config.sheets.coordinators, PAIRS_TAB)

    def names(people: dict[str, Person] | None) -> dict[str, str] | None:
        return None if people is None else {email: person.name for email, person in people.items()}

    return PairsTab.read(rows, mentees=names(mentees), mentors=names(mentors))


def _committee_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(normalise_email(mentee) or mentee, normalise_email(mentor) or mentor) for mentee, mentor in pairs]


def run(context: JobContext) -> JobResult:
    config = context.config
    matching = config.matching
    assessed = assess_registrations(context)
    mentees, mentors = eligible_people(assessed)
    tab = read_pairs(context, mentees, mentors)
    training = training_of_mentors(context, [a.registration for a in assessed.eligible(Role.MENTOR)])
    weights = Weights(**matching.weights.model_dump())
    rules = Rules(matching.max_mentees_per_mentor, matching.forbid_same_workplace, matching.require_common_language)
    result = propose(
        list(mentees.values()),
        list(mentors.values()),
        weights=weights,
        rules=rules,
        fixed=tab.fixed_pairs(),
        must=_committee_pairs(matching.must_pairs),
        never=tab.never_pairs() | set(_committee_pairs(matching.never_pairs)),
    )
    context.write_tab(config.sheets.coordinators, PAIRS_TAB, tab.render(result, training))
    location = context.backends.sheets.location(config.sheets.coordinators, PAIRS_TAB)
    summary = [
        f"{len(result.proposals)} pairs proposed, {len(result.unmatched)} mentees without a pair, "
        f"{len(tab.committee_rows())} committee rows kept, in {location}"
    ]
    problems = tab.problems + result.problems + untrained_mentor_notices(
        [(p.mentor.email, p.mentor.name) for p in result.proposals], training
    )
    proposal_id = fingerprint(*sorted(f"{p.mentee.email}>{p.mentor.email}" for p in result.proposals), *sorted(u.mentee.email for u in result.unmatched))
    items = [(f"proposals/{proposal_id}", None)] + [(f"problem/{fingerprint(problem)}", problem) for problem in problems]
    tell_coordinators_once(
        context,
        job=NAME,
        topic="proposals",
        template="pairs_proposed",
        items=items,
        variables=lambda fresh: proposals_variables(
            len(result.proposals), [u.mentee.name + ": " + u.reason for u in result.unmatched], [p for p in fresh if p], location
        ),
    )
    return JobResult(summary, problems)


def untrained_mentor_notices(mentors: list[tuple[str, str]], training: dict[str, str]) -> list[str]:
    """S3.4: a mentor who has not attended the training is named to the coordinators, once per mentor."""
    notices = []
    for email, name in dict(mentors).items():
        if training.get(email, "").startswith(NOT_ATTENDED):
            day = training[email].removeprefix(NOT_ATTENDED).strip()
            notices.append(
                f"mentor {name} ({email}) ei osalenud mentorite koolitusel ({day}); S3.4 eeldab koolituse läbimist enne mentorsuhte algust"
            )
    return notices


def proposals_variables(proposed: int, unmatched: list[str], problems: list[str], location: str) -> dict:
    return {"proposed": proposed, "unmatched": unmatched, "problems": problems, "pairs_location": location}


def template_samples(config: Config, language: str) -> dict[str, dict]:
    return {
        "pairs_proposed": proposals_variables(
            12, ["Mari Maasikas: ühelgi mentoril pole mentee keelt (inglise)"],
            ["Paarid, rida 5: staatus „heaks kiitud” on tundmatu"], "sheets/koordinaatorid/Paarid.csv",
        )
    }


def schedule(config: Config) -> Schedule:
    return Schedule(dates=tuple(config.match_dates))


def milestones(config: Config) -> list[Milestone]:
    return [Milestone(day, "pair proposals into the Pairs tab") for day in config.match_dates]
