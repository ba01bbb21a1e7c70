"""What every job gets (JobContext), what it returns (JobResult), and how it declares itself (Job).

    def run(context: JobContext) -> JobResult:
        for assessment in context.snapshot.registrations.assessments:
            context.effects.send(key=..., job=NAME, purpose="acknowledgement", template="registration_received", ...)
        return JobResult(["3 acknowledgements sent"])

    JOB = Job(name=NAME, rules="S2.4", order=10, description="...", description_et="...", reads=("registrations",),
              schedule=schedule, milestones=milestones, run=run, template_samples=template_samples)

A job module ends with its `JOB`; `automation.jobs` collects them into the dispatch table.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Callable, Mapping, Sequence, TypeVar

from automation.clock import Clock
from automation.config import Config
from automation.domain.programme import Schedule
from automation.domain.text import Say, format_day
from automation.emails import Joined, Link, Recipient, TemplateLibrary, link
from automation.jobs.effects import Effects, Outcome, Report, StopSignal, fingerprint
from automation.jobs.snapshot import Snapshot
from automation.ports import Backends

T = TypeVar("T")


def common_variables(config: Config, language: str) -> dict[str, Any]:
    """Variables every template may use."""
    programme = config.programme
    return {
        "language": language,
        "association": config.association.name,
        "association_short": config.association.short_name,
        "website": link(config.association.website),
        "programme_name": programme.name,
        "programme_year": programme.year_label,
        "programme_start": format_day(programme.start, language),
        "programme_end": format_day(programme.end, language),
        "relationships_start": format_day(programme.relationships_start, language),
        "relationships_end": format_day(programme.relationships_end, language),
        "minimum_meetings": programme.minimum_meetings,
        "coordinators": [
            {"name": c.name, "email": Link(c.email), "phone": Link(c.phone) if c.phone else "",
             "contact": Joined([c.name, Link(c.email), Link(c.phone) if c.phone else ""])}
            for c in config.coordinators
        ],
        "signature": config.association.sender_name,
    }


@dataclass
class JobContext:
    config: Config
    clock: Clock
    backends: Backends
    templates: TemplateLibrary
    report: Report
    dry_run: bool = False
    stop: StopSignal = field(default_factory=StopSignal)
    run_snapshot: Snapshot | None = None  # read once per run, shared by its jobs
    command: str = "mentorlus"  # how a person runs the tool on this machine, for the hints in messages
    job: str = ""
    reads: tuple[str, ...] | None = None  # the job's declared parts of the snapshot; None: any (check, tests)
    effects: Effects = None  # type: ignore[assignment]  # one per run, shared by its jobs (made here when not given)

    def __post_init__(self) -> None:
        if self.effects is None:
            self.effects = Effects(self.config, self.clock, self.backends, self.templates, self.report, self.dry_run, self.stop)
        if self.run_snapshot is None:
            self.run_snapshot = Snapshot(self.config, self.backends, self.clock.today())

    def for_job(self, job: Job) -> JobContext:
        """The context one job runs with: the same run, the snapshot seen through the job's declared reads."""
        return replace(self, job=job.name, reads=job.reads)

    @property
    def snapshot(self) -> Snapshot:
        assert self.run_snapshot is not None
        if self.reads is None:
            return self.run_snapshot
        return self.run_snapshot.for_job(self.job, self.reads)  # type: ignore[return-value]

    @property
    def today(self) -> date:
        return self.clock.today()

    @property
    def say(self) -> Say:
        """The tool's words to the coordinators (summaries, notes), in their config's language."""
        return Say(self.config.programme.language)

    @property
    def year_key(self) -> str:
        """The programme year in ledger keys: each year's effects are apart."""
        return str(self.config.programme.start.year)

    def write_tab(self, sheet: str, tab: str, rows: Sequence[Sequence[str]]) -> None:
        """Tabs are outputs worked out anew from the inputs on every run: written whole, and the snapshot sees them."""
        assert self.run_snapshot is not None
        if self.run_snapshot.holds(sheet, tab, rows):
            return  # it holds exactly this already: nothing to write, in a dry run or not
        rows = [list(map(str, row)) for row in rows]
        if self.run_snapshot.holds(sheet, tab, rows):
            return  # the same, once a cell given as a number is the text the tab holds
        if self.dry_run:
            where = self.backends.sheets.location(sheet, tab)
            self.report.line("  " + self.say.count(len(rows) - 1, (f"kirjutaks {{n}} rea tabelisse {where}", f"kirjutaks {{n}} rida tabelisse {where}"),
                                                   (f"would write {{n}} row to {where}", f"would write {{n}} rows to {where}")))
            return
        self.stop.check()
        self.effects.write_held()  # a tab never tells of an email that is not written yet
        self.backends.sheets.write_tab(sheet, tab, rows)
        self.run_snapshot.wrote(sheet, tab, rows)

    def tell_coordinators(
        self,
        *,
        job: str,
        topic: str,
        template: str,
        items: Sequence[tuple[str, T]],
        variables: Callable[[list[T]], Mapping[str, Any]],
        purpose: str | None = None,
    ) -> bool:
        """One email to the coordinators about the items they have not been told of yet; none when nothing is new.

        Each item comes with a stable id. The email's key is fixed before it is
        sent, from the day and the ids it tells of, and the ids are recorded as
        told in the same transaction that records the email.
        """
        if not items:
            return False  # most runs of most jobs: nothing to tell, and nothing to look up
        prefix = f"{job}/{self.year_key}/told/{topic}/"
        told = self.effects.done_keys(prefix)
        fresh = [(prefix + item_id, item) for item_id, item in items if prefix + item_id not in told]
        if not fresh:
            return False
        keys = sorted(key for key, _ in fresh)
        outcome = self.effects.send(
            key=f"{job}/{self.year_key}/{topic}/{self.today.isoformat()}/{fingerprint(*keys)}",
            job=job,
            purpose=purpose or f"coordinators: {topic}",
            template=template,
            language="et",
            to=[Recipient(c.email, c.name) for c in self.config.coordinators],
            variables=variables([item for _, item in fresh]),
            also_done=keys,
        )
        return outcome.is_new


@dataclass
class JobResult:
    summary: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Milestone:
    day: date
    label: str


def no_samples(config: Config, language: str) -> dict[str, dict]:
    return {}


@dataclass(frozen=True, kw_only=True)
class Job:
    """A job's declaration: the dispatch table, `plan`, `check` and `preview` read it."""

    name: str
    title: str  # what the coordinators call it, in Estonian: "registreerimiste läbivaatus"
    rules: str  # the programme's rules it serves (S-numbers), for the plan
    order: int  # its place in a run: a job runs after those whose outputs it reads
    description: str
    description_et: str  # the same for `plan` with an Estonian config
    reads: tuple[str, ...]  # the snapshot's parts it reads (snapshot.PARTS)
    writes: tuple[str, ...] = ()  # the parts it writes: when it fails, the jobs reading them wait for the next run
    schedule: Callable[[Config], Schedule]
    milestones: Callable[[Config], list[Milestone]]
    run: Callable[[JobContext], JobResult]
    template_samples: Callable[[Config, str], dict[str, dict]] = no_samples  # for `check` and `preview`, per language
    document_samples: Callable[[Config, str], dict[str, dict]] = no_samples


__all__ = ["Job", "JobContext", "JobResult", "Milestone", "Outcome", "Report", "common_variables", "fingerprint"]
