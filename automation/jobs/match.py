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
from automation.domain.attendance import untrained_mentor_notices
from automation.domain.matching import Rules, Weights, propose
from automation.domain.pairs import PAIRS_TAB
from automation.domain.programme import Schedule, match_days
from automation.domain.registrations import normalise_email
from automation.domain.text import Say
from automation.emails import link
from automation.jobs.base import Job, JobContext, JobResult, Milestone, fingerprint

NAME = "match"


def _committee_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(normalise_email(mentee) or mentee, normalise_email(mentor) or mentor) for mentee, mentor in pairs]


def run(context: JobContext) -> JobResult:
    config, snapshot = context.config, context.snapshot
    matching = config.matching
    mentees, mentors = snapshot.registrations.eligible_people()
    tab = snapshot.checked_pairs(mentees, mentors)
    # A mentee the committee decided to leave without a pair, and told so, is not proposed again.
    for row in tab.without_pair():
        mentees.pop(row.mentee_email, None)
    training = snapshot.training
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
    say = context.say
    summary = [", ".join([
        say.count(len(result.proposals), ("{n} paar pakutud", "{n} paari pakutud"), ("{n} pair proposed", "{n} pairs proposed")),
        say.count(len(result.unmatched), ("{n} mentee paarita", "{n} menteed paarita"), ("{n} mentee without a pair", "{n} mentees without a pair")),
        say.count(len(tab.committee_rows()), ("{n} kolleegiumi rida alles", "{n} kolleegiumi rida alles"),
                  ("{n} committee row kept", "{n} committee rows kept")),
    ]) + say(f" tabelis {location}", f", in {location}")]
    problems = tab.problems + result.problems + untrained_mentor_notices(
        [(p.mentor.email, p.mentor.name) for p in result.proposals], training
    )
    # Nothing new to propose (every pair decided, or nobody left): nothing to tell.
    items = [(f"problem/{fingerprint(problem)}", problem) for problem in problems]
    if result.proposals or result.unmatched:
        proposal_id = fingerprint(*sorted(f"{p.mentee.email}>{p.mentor.email}" for p in result.proposals), *sorted(u.mentee.email for u in result.unmatched))
        items.insert(0, (f"proposals/{proposal_id}", None))
    context.tell_coordinators(
        job=NAME,
        topic="proposals",
        template="pairs_proposed",
        items=items,
        variables=lambda fresh: proposals_variables(
            len(result.proposals), [u.mentee.name + ": " + u.reason for u in result.unmatched], [p for p in fresh if p], location
        ),
    )
    return JobResult(summary, problems)


def proposals_variables(proposed: int, unmatched: list[str], problems: list[str], location: str) -> dict:
    return {"proposed": proposed, "unmatched": unmatched, "problems": problems, "pairs_location": link(location)}


def template_samples(config: Config, language: str) -> dict[str, dict]:
    return {
        "pairs_proposed": proposals_variables(
            12, ["Mari Maasikas: ühelgi mentoril pole mentee keelt (inglise)"],
            ["Paarid, rida 5: staatus „heaks kiitud“ on tundmatu"], "sheets/koordinaatorid/Paarid.csv",
        )
    }


def schedule(config: Config) -> Schedule:
    return Schedule(dates=tuple(match_days(config)))


def milestones(config: Config) -> list[Milestone]:
    return [Milestone(day, Say(config.programme.language)("paariettepanekud lehele „Paarid“", "pair proposals into the Pairs tab")) for day in match_days(config)]


JOB = Job(
    name=NAME,
    title="paaride moodustamine",
    rules="S5.2 S5.5",
    order=30,
    description="proposes an optimal set of pairs, explained, into the Pairs tab for the committee",
    description_et="pakub kolleegiumile parima paaride komplekti koos põhjendustega lehele „Paarid“",
    reads=("registrations", "pairs", "training"),
    writes=("pairs",),
    schedule=schedule,
    milestones=milestones,
    run=run,
    template_samples=template_samples,
)
