"""Every outbound effect exactly once: the intent recorded, the effect done, its completion recorded at once.

    effects.once("pair-confirmation/2026/agreement/share/mari@x.ee/juri@x.ee", job=NAME, purpose="agreement shared",
                 kind="document", do=lambda: drive.share(document, emails))
    effects.send(key="intake/2026/acknowledgement/mentee/mari@x.ee", job=NAME, purpose="acknowledgement",
                 template="registration_received", language="et", to=[Recipient(...)], variables={...})
    effects.remember("events/2026/groups/mentor", {"mari@x.ee": 0}, job=NAME)

`once` is the only way a job changes anything outside the run's snapshot.
Completion (the effect's key recorded done, with whatever it completes:
values the job remembers, items a digest told of) is one ledger
transaction, written the moment the effect happened. Emails to a mailer
that makes its messages durable in batches (the local Maildir) are held
instead: each is built at once, then written with those around it (their
intents in one transaction, then their files) before anything else the
run does outside the ledger, and recorded done once the batch is durable;
until then the run sees them done through this object, and a crash
leaves their intents for `settle_pending`. Other effects are recorded the
moment they happen, ahead of held emails (a mark that earlier effects are
done, such as an event handled, waits for them). A decision remembered
is its intent and completion in one transaction. After a crash between
intent and completion, `find` looks the effect up instead of repeating
it; an effect without `find` is safe to repeat (a calendar event saved
under its UID, a document shared again). Dry runs are handled here, once.
A stop requested by SIGTERM or SIGINT is honoured here, before the next
effect or the next held email written.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Any, Callable, Literal, Mapping, Sequence, TextIO, TypeVar

from pydantic import TypeAdapter
from pydantic_core import to_json

from automation.clock import Clock
from automation.config import Config
from automation.emails import Attachment, OutgoingMessage, Recipient, TemplateLibrary, compose, message_id_for
from automation.domain.text import Say
from automation.errors import MentorlusError, SendingPaused
from automation.ports import Backends, Completion, EffectState, Intent

logger = logging.getLogger(__name__)
T = TypeVar("T")


class Outcome(Enum):
    DONE = "done"  # by this run
    ALREADY_DONE = "already done"
    RECOVERED = "recovered"  # a previous run did it but died before recording it
    WOULD_DO = "would do"  # a dry run

    @property
    def is_new(self) -> bool:
        """Done by this run (or would be, in a dry run)."""
        return self in (Outcome.DONE, Outcome.WOULD_DO)


class Stopped(MentorlusError):
    """SIGTERM or SIGINT asked the run to stop; it stopped before the next effect, with everything done so far recorded."""


@dataclass
class StopSignal:
    """Set by a signal handler; read before every effect."""

    reason: str = ""

    def request(self, reason: str) -> None:
        self.reason = self.reason or reason

    def check(self) -> None:
        if self.reason:
            raise Stopped(f"stopped by {self.reason} before the next effect; everything done so far is recorded",
                          hint="run again: the next run continues where this one stopped",
                          message_et=f"peatatud signaaliga {self.reason} enne järgmist toimingut; kõik seni tehtu on kirjas",
                          hint_et="käivita uuesti: järgmine käivitus jätkab sealt, kus see pooleli jäi")


PURPOSES_ET = {  # each kind of email by its ledger purpose, as Estonian coordinators read it (dry runs, the demo)
    "acknowledgement": "kinnitus kättesaamisest",
    "agreement": "koostöökokkulepe",
    "coordinators: survey summary": "koordinaatoritele: küsitluse kokkuvõte",
    "coordinators: events": "koordinaatoritele: sündmuste teated",
    "coordinators: meetings": "koordinaatoritele: kohtumiste koond",
    "coordinators: pair changes": "koordinaatoritele: paaride muudatused",
    "coordinators: proposals": "koordinaatoritele: paariettepanekud",
    "coordinators: registrations": "koordinaatoritele: registreerimiste koond",
    "event cancellation": "sündmuse tühistamine",
    "event invitation": "kutse sündmusele",
    "event reminder": "meeldetuletus sündmusest",
    "event update": "sündmuse muudatus",
    "facilitator guidance": "juhend kovisiooni juhile",
    "failure notice": "teade tõrkest",
    "meeting pace nudge": "meeldetuletus kohtumistest",
    "no pair this year": "sel aastal paarita",
    "pair confirmation to the mentee": "paari kinnitus menteele",
    "pair confirmation to the mentor": "paari kinnitus mentorile",
    "registration announcement": "registreerimise teadaanne",
    "registration reminder": "registreerimise meeldetuletus",
    "registration declined": "registreerumisest keeldumine",
    "survey invitation": "küsitluse kutse",
    "survey reminder": "küsitluse meeldetuletus",
    "thank-you with the record": "tänukiri koos kokkuvõttega",
}


@dataclass
class Report:
    """What a run did, counted per purpose, and the dry run's listing."""

    out: TextIO
    verbose: bool = False
    counts: Counter = field(default_factory=Counter)

    def line(self, text: str) -> None:
        print(text, file=self.out)


def fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def encode(value: Any) -> str:
    """A remembered value as JSON text: dataclasses, dicts, lists, dates and numbers."""
    if type(value) is int:
        return str(value)  # as to_json writes it; most values remembered are counts and sequence numbers
    return to_json(value).decode("utf-8")


def completion_of(values: Mapping[str, Any], also_done: Sequence[str]) -> Completion:
    """What an effect's completion records: its values encoded, the further keys it marks done."""
    return Completion({name: encode(value) for name, value in values.items()}, tuple(also_done))


@lru_cache(maxsize=None)
def _adapter(type_: Any) -> TypeAdapter:
    return TypeAdapter(type_)


_DECODED: dict[tuple[Any, str], tuple[str, Any]] = {}  # (type, state key) -> the text and its value


def decode(text: str, type_: Any, state_key: str = "") -> Any:
    """A remembered value from its JSON text. A value nobody may change (a frozen dataclass, a number, a string)
    is decoded again only when the text under its key changed: every run reads each event's state again, and the
    text is compared, never hashed (an event's state holds every attendee)."""
    if not state_key or not (type_ in (int, str) or getattr(getattr(type_, "__dataclass_params__", None), "frozen", False)):
        return _adapter(type_).validate_json(text)
    kept = _DECODED.get((type_, state_key))
    if kept is not None and kept[0] == text:
        return kept[1]
    if len(_DECODED) > 100_000:
        _DECODED.clear()
    value = _adapter(type_).validate_json(text)
    _DECODED[(type_, state_key)] = (text, value)
    return value


def _shown(to: Sequence[Recipient]) -> str:
    """The recipients as a person reads them in a log or a dry run."""
    return ", ".join(f"{r.name} <{r.email}>" if r.name else r.email for r in to)


BATCH = 500  # emails held at most before their batch is made durable and recorded


class Effects:
    def __init__(self, config: Config, clock: Clock, backends: Backends, templates: TemplateLibrary, report: Report,
                 dry_run: bool, stop: StopSignal | None = None) -> None:
        self.config, self.clock, self.backends, self.templates = config, clock, backends, templates
        self.report, self.dry_run, self.stop = report, dry_run, stop or StopSignal()
        # Emails sent but not yet durable (and marks that follow them), with what they complete: recorded when the batch is.
        self._held: list[tuple[str, Completion]] = []
        self._held_done: set[str] = set()
        self._held_values: dict[str, str] = {}
        # Held emails not written yet: their intents, then their files, go together before anything else happens.
        self._unwritten: list[tuple[Intent, OutgoingMessage, str]] = []
        self._common: dict[str, dict[str, Any]] = {}  # the variables every template gets, by language
        self._preloaded: set[str] = set()  # prefixes whose done keys the run has read
        self._preloaded_done: set[str] = set()  # those keys, under whichever prefix (a key is under each of its prefixes)

    # ---- what is done, as this run sees it

    def is_done(self, key: str) -> bool:
        return self._state(key) is EffectState.DONE

    def done_keys(self, prefix: str) -> set[str]:
        """The keys done under the prefix (a digest's items told)."""
        return self.backends.ledger.keys_with_prefix(prefix) | {key for key in self._held_done if key.startswith(prefix)}

    def preload(self, prefix: str) -> None:
        """The keys done under the prefix, read in one query for the rest of the run: for a job about to ask of
        hundreds of people whether each was sent something. A key not among them is still asked of the ledger."""
        if prefix not in self._preloaded:
            self._preloaded.add(prefix)
            self._preloaded_done |= self.backends.ledger.keys_with_prefix(prefix)

    def _state(self, key: str) -> EffectState | None:
        if key in self._held_done:
            return EffectState.DONE
        if key in self._preloaded_done:
            return EffectState.DONE
        return self.backends.ledger.state(key)

    def _read_state(self, state_key: str) -> str | None:
        if state_key in self._held_values:
            return self._held_values[state_key]
        return self.backends.ledger.read_state(state_key)

    def make_durable(self) -> None:
        """The held emails written, made durable by the mailer, then recorded done in one transaction, in the order they were sent."""
        if not self._held:
            return
        stopped = None
        try:
            self.write_held()
        except Stopped as error:
            stopped = error  # those written before the stop are recorded all the same
        try:
            self.backends.mailer.sync()
        except BaseException:
            self._forget_held()
            raise
        self.backends.ledger.record_all_done(self._held, now=self.clock.now())
        self._forget_held()
        if stopped is not None:
            raise stopped

    def write_held(self) -> None:
        """The emails held but not written yet: their intents in one transaction, then their files, in the order they were
        sent. Done before anything else the run does outside the ledger (a document, a tab, an erasure), so that nothing
        is ever ahead of an email sent before it; and before they are made durable."""
        if not self._unwritten:
            return
        unwritten, self._unwritten = self._unwritten, []
        ledger = self.backends.ledger
        try:
            ledger.record_intents([intent for intent, _, _ in unwritten], now=self.clock.now())
            for number, (intent, message, subject) in enumerate(unwritten):
                if self.stop.reason:
                    self._drop([intent.key for intent, _, _ in unwritten[number:]])
                    self.stop.check()
                self.backends.mailer.send(message)
                logger.info("sent %s to %s: %s", intent.purpose, intent.recipient, subject)
        except Stopped:
            raise
        except BaseException:
            # What was written stays pending: the next run's settle_pending records it; the rest is decided again then.
            self._forget_held()
            raise

    def _drop(self, keys: list[str]) -> None:
        """Emails a stop came before: never written, their intents gone, decided again by the next run."""
        for key in keys:
            self.backends.ledger.abandon(key)
        dropped = set(keys)
        held, self._held, self._held_done, self._held_values = self._held, [], set(), {}
        for key, completion in held:
            if key not in dropped:
                self._add_held(key, completion)

    def _forget_held(self) -> None:
        self._held, self._held_done, self._held_values, self._unwritten = [], set(), {}, []

    # ---- the primitive

    def once(
        self,
        key: str,
        *,
        job: str,
        purpose: str,
        kind: str = "state",
        recipient: str = "",
        do: Callable[[], object] | None = None,
        find: Callable[[], bool] | None = None,
        remember: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
        also_done: Sequence[str] = (),
        describe: str = "",
        counted: bool = False,
        state: EffectState | None | Literal["unknown"] = "unknown",
    ) -> Outcome:
        """Do the effect unless its key is done; record it done, with `remember` and `also_done`, in one transaction.

        `remember` may be a function, for values the effect itself returns (a video link): it is called after `do`.
        `state` is the key's, when the caller has just looked it up.
        """
        ledger = self.backends.ledger
        if state == "unknown":
            state = self._state(key)
        if state is EffectState.DONE:
            return Outcome.ALREADY_DONE
        if self.dry_run:
            if describe:
                self.report.line(f"  {describe}")
            if counted:
                self.report.counts[f"{purpose} (dry run)"] += 1
            return Outcome.WOULD_DO
        self.stop.check()

        completion = completion_of({} if callable(remember) else remember or {}, also_done)
        if state is EffectState.PENDING and find is not None and find():
            # Done before a crash: what it completes is recorded now. The intent is renewed first,
            # so that the values recorded are this run's (the same effect, decided the same way).
            self.make_durable()
            ledger.record_intent(key, job=job, recipient=recipient, purpose=purpose, now=self.clock.now(), kind=kind, completes=completion)
            ledger.record_done(key, now=self.clock.now())
            logger.info("recovered %s: it was done before a crash", key)
            if counted:
                self.report.counts[purpose] += 1
            return Outcome.RECOVERED
        if do is None:
            done = completion_of(remember(), also_done) if callable(remember) else completion
            if self._held and not done.remember:
                # A mark that what came before it is done (an event handled): never durable ahead of the emails it follows.
                ledger.record_intent(key, job=job, recipient=recipient, purpose=purpose, now=self.clock.now(), kind=kind, completes=done)
                self._hold(key, done)
            else:
                # A decision: recorded before anything that depends on it.
                self._before_recording(done)
                ledger.record_decision(key, job=job, purpose=purpose, now=self.clock.now(), completes=done)
        else:
            self.write_held()  # nothing outside the ledger ahead of an email sent before it
            ledger.record_intent(key, job=job, recipient=recipient, purpose=purpose, now=self.clock.now(), kind=kind, completes=completion)
            do()
            done = completion_of(remember(), also_done) if callable(remember) else completion
            if kind == "mail" and self.backends.mailer.defers_durability:
                self._hold(key, done)
            else:
                self._before_recording(done)
                ledger.record_done(key, now=self.clock.now(), completes=done)
        if counted:
            self.report.counts[purpose] += 1
        return Outcome.DONE

    def _before_recording(self, completion: Completion) -> None:
        """An effect durable by itself (a document, a calendar event) or a decision is recorded at once, ahead of the held
        emails: it claims nothing of theirs, and if they are lost with the machine, their own records say to send them
        again. Where it remembers a value a held email remembers too, the emails are recorded first, so that its value wins."""
        if self._held and not self._held_values.keys().isdisjoint(completion.remember):
            self.make_durable()

    def _hold(self, key: str, completion: Completion) -> None:
        self._add_held(key, completion)
        if len(self._held) >= BATCH:
            self.make_durable()

    def _add_held(self, key: str, completion: Completion) -> None:
        self._held.append((key, completion))
        self._held_done.add(key)
        self._held_done.update(completion.also_done)
        self._held_values.update(completion.remember)

    def remember(self, state_key: str, value: Any, *, job: str) -> Outcome:
        """A value the job decided (a covision group, a facilitator): recorded before anything that depends on it."""
        text = encode(value)
        if self._read_state(state_key) == text:
            return Outcome.ALREADY_DONE
        return self.once(f"remembered/{state_key}/{fingerprint(text)}", job=job, purpose="remembered", remember={state_key: value})

    def remembered_text(self, state_key: str) -> str | None:
        """The value as recorded (JSON), for a key of what was worked out from it; None when nothing is remembered."""
        return self._read_state(state_key)

    def recall(self, state_key: str, type_: Any, default: T) -> T:
        text = self._read_state(state_key)
        return decode(text, type_, state_key) if text is not None else default

    def recall_all(self, prefix: str, type_: Any) -> dict[str, Any]:
        """Every value remembered under the prefix, by the rest of its key."""
        texts = self.backends.ledger.states_with_prefix(prefix)
        texts.update((key, text) for key, text in self._held_values.items() if key.startswith(prefix))
        return {key[len(prefix):]: decode(text, type_, key) for key, text in texts.items()}

    # ---- emails

    def send(
        self,
        *,
        key: str,
        job: str,
        purpose: str,
        template: str,
        language: str,
        to: Sequence[Recipient],
        variables: Mapping[str, Any] | Callable[[], Mapping[str, Any]],
        attachments: Sequence[Attachment] = (),
        calendar: Callable[[], tuple[str, bytes]] | None = None,
        remember: Mapping[str, Any] | None = None,
        also_done: Sequence[str] = (),
    ) -> Outcome:
        """One email, exactly once; its Message-ID derives from the key, so a crash leaves it findable.

        `variables` may be a function: called only for an email not sent yet (most of a run's keys are done ones).
        """
        from automation.jobs.base import common_variables  # base builds on this module

        mailer = self.backends.mailer
        state = self._state(key)
        if state is EffectState.DONE:
            return Outcome.ALREADY_DONE  # before rendering: most keys of a run are done ones
        if language not in self._common:
            self._common[language] = common_variables(self.config, language)
        context = {**self._common[language], **(variables() if callable(variables) else variables)}
        rendered = self.templates.render(template, language, context)
        message_id = message_id_for(key, self.config.association.sender_email)
        describe = ""
        if self.dry_run:
            recipients = _shown(to)
            say = Say(self.config.programme.language)
            describe = say(f"saadaks [{PURPOSES_ET.get(purpose, purpose)}] saajale {recipients}: {rendered.subject}",
                           f"would send [{purpose}] to {recipients}: {rendered.subject}")
            if self.report.verbose:
                describe += "\n    " + rendered.text.replace("\n", "\n    ")
        remember = dict(remember or {})
        if not self.dry_run:
            budget_key = f"mail/sent/{self.clock.today().isoformat()}"
            sent_today = self.recall(budget_key, int, 0)
            if sent_today >= self.config.mail.daily_limit and state is None:
                raise SendingPaused(
                    f"the daily sending limit is reached ({sent_today} of mail.daily_limit = {self.config.mail.daily_limit} today); "
                    "the rest waits for the next run",
                    hint="nothing to do: tomorrow's run continues; raise mail.daily_limit only if the account allows more",
                    message_et=f"päeva saatmispiir on täis ({sent_today} kirja, mail.daily_limit = {self.config.mail.daily_limit}); "
                    "ülejäänud kirjad lähevad järgmisel käivitusel",
                    hint_et="midagi pole vaja teha: homne käivitus jätkab; suurenda piirangut mail.daily_limit ainult siis, kui konto lubab rohkem saata",
                )
            remember[budget_key] = sent_today + 1

        def build() -> OutgoingMessage:
            return compose(
                rendered,
                sender=Recipient(self.config.association.sender_email, self.config.association.sender_name),
                to=to,
                reply_to=[Recipient(c.email, c.name) for c in self.config.coordinators],
                message_id=message_id,
                sent_at=self.clock.now(),
                language=language,
                attachments=attachments,
                calendar=calendar() if calendar else None,
            )

        recipient = ",".join(r.email for r in to)
        if state is None and not self.dry_run and mailer.defers_durability:
            # Built now (a fault in it is this job's), written with the emails held before and after it (`write_held`):
            # one transaction for all their intents instead of one each.
            self.stop.check()
            completion = completion_of(remember, also_done)
            self._unwritten.append((Intent(key, job, recipient, purpose, "mail", completion), build(), rendered.subject))
            self._hold(key, completion)
            self.report.counts[purpose] += 1
            return Outcome.DONE

        def deliver() -> None:
            mailer.send(build())
            logger.info("sent %s to %s: %s", purpose, _shown(to), rendered.subject)

        return self.once(
            key, job=job, purpose=purpose, kind="mail", recipient=recipient,
            do=deliver, find=lambda: mailer.was_sent(message_id), remember=remember, also_done=also_done,
            describe=describe, counted=True, state=state,
        )

    def settle_pending(self) -> list[str]:
        """At the start of a run: each email a dead run may have sent is recorded if it went, else left for the job to decide anew."""
        if self.dry_run:
            return []
        settled = []
        ledger, mailer = self.backends.ledger, self.backends.mailer
        for key in ledger.pending("mail"):
            if mailer.was_sent(message_id_for(key, self.config.association.sender_email)):
                ledger.record_done(key, now=self.clock.now())
                settled.append(f"{key}: it was sent before a crash; recorded")
            else:
                ledger.abandon(key)
                settled.append(f"{key}: it was not sent before a crash; the job decides it again")
        for line in settled:
            logger.info("%s", line)
        return settled
