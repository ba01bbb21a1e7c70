"""Proposing pairs (S5.2, S5.5): an optimal assignment of mentees to mentors, explained.

    result = propose(mentees, mentors, weights=Weights(), rules=Rules(),
                     fixed=[("mari@x.ee", "juri@x.ee")], must=[], never={("kadri@x.ee", "tonu@x.ee")})
    result.proposals[0].reasons   # ('ühised teemad: grupinõustamine', 'sama piirkond: Tartumaa', ...)

First as many mentees matched as possible, then the highest total score:
an exact assignment (scipy's linear_sum_assignment over mentor capacity
slots), not a greedy pass. Scores are whole points, so totals compare exactly.
The score matrix is computed with numpy for every pair at once; `explain`
gives the same points, with reasons, for one pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from automation.domain.registrations import Assessment, Role, normalise_text

IN_PERSON, VIDEO = 1, 2
MODE_WORDS = {IN_PERSON: ("silm", "kohap", "in person", "face"), VIDEO: ("video", "veeb", "online", "zoom", "teams")}
BOTH_WORDS = ("mõlem", "both", "ükskõik", "any")
# Languages by their code, as the reasons name them.
LANGUAGE_LABELS = {"et": "eesti", "en": "inglise", "ru": "vene", "fi": "soome", "uk": "ukraina", "de": "saksa", "lv": "läti",
                   "lt": "leedu", "sv": "rootsi", "fr": "prantsuse", "es": "hispaania"}
MODE_LABELS = {IN_PERSON: "silmast silma", VIDEO: "videokõne"}


@dataclass(frozen=True)
class Weights:
    """Points for a full match on each criterion (config [matching.weights])."""

    topics: int = 40
    region: int = 20
    meeting_mode: int = 20
    language: int = 10
    sector: int = 10
    experience: int = 10
    experience_full_years: int = 10  # a gap this large or larger earns all the experience points

    @property
    def maximum(self) -> int:
        return self.topics + self.region + self.meeting_mode + self.language + self.sector + self.experience


@dataclass(frozen=True)
class Rules:
    max_mentees_per_mentor: int = 2
    forbid_same_workplace: bool = True
    require_common_language: bool = True


@dataclass(frozen=True)
class Person:
    """What matching needs to know of one eligible registrant."""

    email: str
    name: str
    workplace: str = ""
    region: str = ""
    modes: int = 0  # bit set of IN_PERSON, VIDEO; 0 = not said (any)
    languages: frozenset[str] = frozenset()
    sector: str = ""
    topics: frozenset[str] = frozenset()
    experience_years: int = 0
    capacity: int = 1


def _fold(value: object) -> str:
    return normalise_text(str(value or "")).casefold()


def modes_from(answers: Iterable[str]) -> int:
    bits = 0
    for answer in answers:
        folded = _fold(answer)
        if any(word in folded for word in BOTH_WORDS):
            return IN_PERSON | VIDEO
        for bit, words in MODE_WORDS.items():
            if any(word in folded for word in words):
                bits |= bit
    return bits


def languages_from(codes: Iterable[str], correspondence_language: str) -> frozenset[str]:
    """The languages a person can meet in, by name; when they named none, the one they are written to in."""
    names = {LANGUAGE_LABELS.get(code, code) for code in codes if code}
    return frozenset(names or {LANGUAGE_LABELS[correspondence_language]})


def person_from(assessment: Assessment) -> Person:
    registration = assessment.registration
    answers = registration.answers
    topics_field = "strengths" if registration.role is Role.MENTOR else "development_areas"
    capacity = answers.get("capacity")
    return Person(
        email=registration.email,
        name=registration.name,
        workplace=_fold(answers.get("workplace")),
        region=normalise_text(str(answers.get("region") or "")),
        modes=modes_from(answers.get("meeting_mode") or []),
        languages=languages_from(answers.get("languages") or [], registration.language),
        sector=_fold(answers.get("sector")),
        topics=frozenset(_fold(topic) for topic in answers.get(topics_field) or [] if _fold(topic)),
        experience_years=_years(answers.get("experience_years")),
        capacity=max(1, int(capacity)) if isinstance(capacity, int) else 1,
    )


def _years(value: object) -> int:
    """The whole years a matching score counts: the answer's lower bound."""
    low = getattr(value, "low", value)
    return int(low) if isinstance(low, int | float) and low < 100 else 0


@dataclass(frozen=True)
class Explanation:
    points: int
    reasons: tuple[str, ...]


def explain(mentee: Person, mentor: Person, weights: Weights) -> Explanation:
    """The points of one pair and the reasons, in plain Estonian; the same points as `score_matrix`."""
    points, reasons = 0, []
    common = sorted(mentee.topics & mentor.topics)
    if mentee.topics:
        points += weights.topics * len(common) // len(mentee.topics)
    if common:
        reasons.append("ühised teemad: " + ", ".join(common))
    # Not saying how one wants to meet leaves meeting in person open, so the region counts then too.
    wants_in_person = bool(((mentee.modes or IN_PERSON) | (mentor.modes or IN_PERSON)) & IN_PERSON)
    if wants_in_person and mentee.region and mentee.region.casefold() == mentor.region.casefold():
        points += weights.region
        reasons.append(f"sama piirkond: {mentor.region}")
    shared_modes = (mentee.modes or IN_PERSON | VIDEO) & (mentor.modes or IN_PERSON | VIDEO)
    if shared_modes:
        points += weights.meeting_mode
        reasons.append("kohtumise viis: " + " või ".join(label for bit, label in MODE_LABELS.items() if shared_modes & bit))
    languages = sorted(mentee.languages & mentor.languages)
    if languages:
        points += weights.language
        reasons.append("ühine keel: " + ", ".join(languages))
    if mentee.sector and mentee.sector == mentor.sector:
        points += weights.sector
        reasons.append(f"sama sektor: {mentor.sector}")
    gap = max(0, mentor.experience_years - mentee.experience_years)
    points += weights.experience * min(gap, weights.experience_full_years) // max(1, weights.experience_full_years)
    if gap:
        reasons.append(f"kogemuste vahe {gap} a")
    return Explanation(points, tuple(reasons))


def why_not(mentee: Person, mentor: Person, rules: Rules, never: set[tuple[str, str]]) -> str | None:
    """Why this pair may not be proposed (a hard rule), or None."""
    if (mentee.email, mentor.email) in never:
        return "kolleegium on selle paari välistanud"
    if mentee.email == mentor.email:
        return "sama inimene"
    if rules.forbid_same_workplace and mentee.workplace and mentee.workplace == mentor.workplace:
        return "samast asutusest"
    if rules.require_common_language and not mentee.languages & mentor.languages:
        return "ühist keelt pole"
    return None


class _Codes:
    """Stable small integers for strings, so numpy can compare them."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {"": 0}

    def __call__(self, value: str) -> int:
        return self.codes.setdefault(value, len(self.codes))


def score_matrix(mentees: Sequence[Person], mentors: Sequence[Person], weights: Weights, languages: np.ndarray | None = None) -> np.ndarray:
    """Points for every (mentee, mentor), as `explain` computes them one by one.

    The matrix is mentees × mentors and may hold 25 million pairs: every criterion is added in place into one
    array of the smallest integer type the weights fit in. `languages`: where a pair shares a language, when known.
    """
    dtype = np.int16 if weights.maximum < np.iinfo(np.int16).max else np.int64
    topic_index = {topic: i for i, topic in enumerate(sorted({t for p in [*mentees, *mentors] for t in p.topics}))}
    wanted = np.zeros((len(mentees), len(topic_index)), dtype=np.float32)
    offered = np.zeros((len(mentors), len(topic_index)), dtype=np.float32)
    for row, person in enumerate(mentees):
        wanted[row, [topic_index[t] for t in person.topics]] = 1
    for row, person in enumerate(mentors):
        offered[row, [topic_index[t] for t in person.topics]] = 1
    # Counts of a few topics are small whole numbers, exact in float32; the floor of their quotient is exact too.
    overlap = wanted @ offered.T
    overlap *= weights.topics
    np.floor_divide(overlap, np.maximum(wanted.sum(axis=1), 1)[:, None], out=overlap)
    points = overlap.astype(dtype)
    del overlap

    # Not saying how one wants to meet (0) means either way: in person for the region, any mode for sharing one.
    # Each criterion is added where it holds, in place: no temporary the size of the matrix but its condition.
    any_mode = IN_PERSON | VIDEO
    mentee_modes = np.array([p.modes or any_mode for p in mentees], dtype=np.int8)
    mentor_modes = np.array([p.modes or any_mode for p in mentors], dtype=np.int8)
    np.add(points, dtype(weights.meeting_mode), out=points, where=(mentee_modes[:, None] & mentor_modes[None, :]) != 0)
    in_person = lambda people: np.array([bool((p.modes or IN_PERSON) & IN_PERSON) for p in people], dtype=bool)  # noqa: E731
    wants_in_person = in_person(mentees)[:, None] | in_person(mentors)[None, :]
    regions = _Codes()
    mentee_region = np.array([regions(p.region.casefold()) for p in mentees], dtype=np.int32)
    mentor_region = np.array([regions(p.region.casefold()) for p in mentors], dtype=np.int32)
    mentee_region[mentee_region == 0] = -1  # an unknown region matches nobody's
    near = mentee_region[:, None] == mentor_region[None, :]
    near &= wants_in_person
    np.add(points, dtype(weights.region), out=points, where=near)
    del near, wants_in_person
    shared_language = _language_overlap(mentees, mentors) != 0 if languages is None else languages
    np.add(points, dtype(weights.language), out=points, where=shared_language)
    sectors = _Codes()
    mentee_sector = np.array([sectors(p.sector) for p in mentees], dtype=np.int32)
    mentor_sector = np.array([sectors(p.sector) for p in mentors], dtype=np.int32)
    mentee_sector[mentee_sector == 0] = -1
    np.add(points, dtype(weights.sector), out=points, where=mentee_sector[:, None] == mentor_sector[None, :])
    mentor_years = np.array([p.experience_years for p in mentors], dtype=np.int32)
    mentee_years = np.array([p.experience_years for p in mentees], dtype=np.int32)
    gap = mentor_years[None, :] - mentee_years[:, None]
    np.clip(gap, 0, weights.experience_full_years, out=gap)
    gap *= weights.experience
    gap //= max(1, weights.experience_full_years)
    np.add(points, gap, out=points, casting="unsafe")  # at most weights.experience: it fits the matrix's type
    return points


def _language_overlap(mentees: Sequence[Person], mentors: Sequence[Person]) -> np.ndarray:
    bits = {name: 1 << i for i, name in enumerate(sorted({l for p in [*mentees, *mentors] for l in p.languages}))}
    if len(bits) > 62:  # more languages than bits: compare as sets, slowly
        return np.array([[len(a.languages & b.languages) for b in mentors] for a in mentees])
    mask = lambda person: sum(bits[name] for name in person.languages)  # noqa: E731
    width = np.int32 if len(bits) < 31 else np.int64  # the result is mentees × mentors: as narrow as the bits allow
    return np.array([mask(p) for p in mentees], dtype=width)[:, None] & np.array([mask(p) for p in mentors], dtype=width)[None, :]


def allowed_matrix(mentees: Sequence[Person], mentors: Sequence[Person], rules: Rules, never: set[tuple[str, str]],
                   languages: np.ndarray | None = None) -> np.ndarray:
    """True where no hard rule forbids the pair (the vector form of `why_not`); `languages`: where a pair shares one, when known."""
    allowed = np.ones((len(mentees), len(mentors)), dtype=bool)
    people = _Codes()
    mentee_email = np.array([people(p.email) for p in mentees], dtype=np.int64)[:, None]
    mentor_email = np.array([people(p.email) for p in mentors], dtype=np.int64)[None, :]
    allowed &= mentee_email != mentor_email
    if rules.forbid_same_workplace:
        places = _Codes()
        mentee_place = np.array([places(p.workplace) for p in mentees], dtype=np.int64)[:, None]
        mentor_place = np.array([places(p.workplace) for p in mentors], dtype=np.int64)[None, :]
        allowed &= (mentee_place != mentor_place) | (mentee_place == 0)
    if rules.require_common_language:
        allowed &= _language_overlap(mentees, mentors) != 0 if languages is None else languages
    if never:
        mentee_row = {p.email: i for i, p in enumerate(mentees)}
        mentor_column = {p.email: j for j, p in enumerate(mentors)}
        for mentee, mentor in never:
            if mentee in mentee_row and mentor in mentor_column:
                allowed[mentee_row[mentee], mentor_column[mentor]] = False
    return allowed


@dataclass(frozen=True)
class Proposal:
    mentee: Person
    mentor: Person
    points: int
    reasons: tuple[str, ...]
    alternatives: tuple[tuple[Person, int], ...] = ()
    by_committee: bool = False


@dataclass(frozen=True)
class Unmatched:
    mentee: Person
    reason: str


@dataclass
class MatchingResult:
    proposals: list[Proposal] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # committee pairs that could not be honoured

    @property
    def total_points(self) -> int:
        return sum(proposal.points for proposal in self.proposals)


def propose(
    mentees: Sequence[Person],
    mentors: Sequence[Person],
    *,
    weights: Weights = Weights(),
    rules: Rules = Rules(),
    fixed: Iterable[tuple[str, str]] = (),
    must: Iterable[tuple[str, str]] = (),
    never: set[tuple[str, str]] | None = None,
) -> MatchingResult:
    """Pairs for the mentees not in `fixed` (approved pairs, which stay as they are).

    `must` pairs are proposed first where the mentor has room; `never` pairs are not proposed.
    """
    never = set(never or ())
    result = MatchingResult()
    mentor_by_email = {mentor.email: mentor for mentor in mentors}
    room = {mentor.email: min(mentor.capacity, rules.max_mentees_per_mentor) for mentor in mentors}
    taken = set()
    for mentee_email, mentor_email in fixed:
        taken.add(mentee_email)
        if mentor_email in room:
            room[mentor_email] -= 1
    free_mentees = [mentee for mentee in mentees if mentee.email not in taken]
    mentee_by_email = {mentee.email: mentee for mentee in free_mentees}

    for mentee_email, mentor_email in must:
        mentee, mentor = mentee_by_email.get(mentee_email), mentor_by_email.get(mentor_email)
        if mentee is None or mentor is None:
            if mentee_email not in taken:
                result.problems.append(f"kolleegiumi paar {mentee_email} – {mentor_email}: üks neist pole sobiv registreerunu")
            continue
        if room[mentor_email] <= 0:
            result.problems.append(f"kolleegiumi paar {mentee_email} – {mentor_email}: mentoril pole enam vaba kohta")
            continue
        room[mentor_email] -= 1
        explanation = explain(mentee, mentor, weights)
        result.proposals.append(Proposal(mentee, mentor, explanation.points, ("kolleegiumi määratud paar",) + explanation.reasons, by_committee=True))
        del mentee_by_email[mentee_email]
    free_mentees = list(mentee_by_email.values())
    if not free_mentees:
        return result

    languages = _language_overlap(free_mentees, mentors) != 0 if mentors else None
    points = score_matrix(free_mentees, mentors, weights, languages) if mentors else np.zeros((len(free_mentees), 0), dtype=np.int64)
    allowed = allowed_matrix(free_mentees, mentors, rules, never, languages) if mentors else np.zeros((len(free_mentees), 0), dtype=bool)
    places = [min(room[mentor.email], len(free_mentees)) for mentor in mentors]
    value, slot_mentor = assignment_problem(points, allowed, places, weights)
    assigned: dict[int, int] = {}
    if len(slot_mentor):
        rows, slots = linear_sum_assignment(value, maximize=True)
        assigned = {int(row): int(slot_mentor[slot]) for row, slot in zip(rows, slots) if allowed[row, slot_mentor[slot]]}

    best = _best_allowed(points, allowed, 3)
    allowed_count = allowed.sum(axis=1) if mentors else np.zeros(len(free_mentees), dtype=np.int64)
    for row, mentee in enumerate(free_mentees):
        if row in assigned:
            column = assigned[row]
            mentor = mentors[column]
            explanation = explain(mentee, mentor, weights)
            alternatives = tuple((mentors[j], int(points[row, j])) for j in best[row] if j != column)[:2]
            result.proposals.append(Proposal(mentee, mentor, explanation.points, explanation.reasons, alternatives))
        else:
            result.unmatched.append(Unmatched(mentee, _unmatched_reason(mentee, mentors, rules, never, int(allowed_count[row]))))
    return result


def assignment_problem(points: np.ndarray, allowed: np.ndarray, places: Sequence[int], weights: Weights) -> tuple[np.ndarray, np.ndarray]:
    """The matrix the solver maximises (one column per free place) and each column's mentor.

    A mentor with two places has two columns. Not allowed pairs are worth 0, every allowed pair more than any
    set of points, so matching one more mentee always wins over a better score: count first, then points.
    """
    counts = np.maximum(np.asarray(places, dtype=np.int64), 0)
    slot_mentor = np.repeat(np.arange(len(places), dtype=np.int64), counts)
    bonus = weights.maximum * points.shape[0] + 1
    # Worked out per mentor, then each mentor's column repeated for its places: one pass over the large matrix, not three.
    per_mentor = points.astype(np.float64)
    per_mentor += bonus
    per_mentor *= allowed
    return np.repeat(per_mentor, counts, axis=1), slot_mentor


def _best_allowed(points: np.ndarray, allowed: np.ndarray, count: int) -> list[list[int]]:
    """Each row's `count` best allowed columns, best first, ties to the lower column: no loop over the columns in Python."""
    rows, columns = points.shape
    if not columns or not rows:
        return [[] for _ in range(rows)]
    # One key orders by points, then by column, so the top few are exactly a stable sort's; not allowed sorts last.
    # It is negated (smallest first, as argpartition takes) and as narrow as it can be: the array is rows × columns.
    key_type = np.int32 if (int(points.max()) + 2) * columns < np.iinfo(np.int32).max else np.int64
    key = points.astype(key_type)
    key *= -columns
    key += np.arange(columns, dtype=key_type) - (columns - 1)
    key[~allowed] = 1
    # A few passes of argmin, each a plain scan, find the best few faster than a partition of every row;
    # each one found is then put out of the way for the next pass.
    everyone = np.arange(rows)
    ordered, keep = [], []
    for _ in range(min(count, columns)):
        best = key.argmin(axis=1)
        ordered.append(best)
        keep.append(key[everyone, best] <= 0)
        key[everyone, best] = np.iinfo(key_type).max
    return [[int(j) for j, ok in zip(line, oks) if ok] for line, oks in zip(np.stack(ordered, axis=1), np.stack(keep, axis=1))]


def _unmatched_reason(mentee: Person, mentors: Sequence[Person], rules: Rules, never: set[tuple[str, str]], allowed_count: int) -> str:
    if allowed_count == 1:
        return "ainsa sobiva mentori koht on täis"
    if allowed_count:
        return f"kõigi {allowed_count} sobiva mentori kohad on täis"
    if not mentors:
        return "sobivaid mentoreid pole"
    reasons = [why_not(mentee, mentor, rules, never) for mentor in mentors]
    if all(reason == "ühist keelt pole" for reason in reasons):
        return f"ühelgi mentoril pole mentee keelt ({', '.join(sorted(mentee.languages))})"
    counts: Mapping[str, int] = {reason: reasons.count(reason) for reason in set(reasons) if reason}
    listed = "; ".join(f"{reason}: {count}" for reason, count in sorted(counts.items(), key=lambda item: -item[1]))
    return f"ükski mentor ei sobi ({listed})"


def greedy(mentees: Sequence[Person], mentors: Sequence[Person], *, weights: Weights = Weights(), rules: Rules = Rules()) -> MatchingResult:
    """The baseline the benchmark compares with: best remaining pair first, never revisited."""
    result = MatchingResult()
    if not mentees or not mentors:
        return result
    points = score_matrix(mentees, mentors, weights)
    allowed = allowed_matrix(mentees, mentors, rules, set())
    room = np.array([min(m.capacity, rules.max_mentees_per_mentor) for m in mentors])
    done = np.zeros(len(mentees), dtype=bool)
    flat = np.argsort(-np.where(allowed, points, -1), axis=None, kind="stable")
    for index in flat:
        row, column = divmod(int(index), len(mentors))
        if not allowed[row, column]:
            break
        if done[row] or room[column] == 0:
            continue
        done[row] = True
        room[column] -= 1
        result.proposals.append(Proposal(mentees[row], mentors[column], int(points[row, column]), ()))
    return result
