"""Nothing is sent twice or lost, whatever crashes, fails or runs twice: checked over whole years against the clean one."""

import io
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from automation.backends import build_backends
from automation.cli import ExitStatus, main
from automation.clock import FixedClock
from automation.environment import Environment
from automation.config import bundled_templates_dir
from automation.emails import Recipient, TemplateLibrary, message_id_for
from automation.jobs.effects import Effects, Report, Stopped, decode
from automation.ports import EffectState
from automation.errors import LockHeld
from tests.conftest import OPENS, mentee_row, mentor_row
from tests.years import Failures, Kills, failing, killing, play, state_of


class Crash(BaseException):
    """Stands for the process dying at that point: nothing in the program catches it."""


def crashing_backends(*, after_send: int | None = None, before_send: int | None = None):
    """Backends whose process 'dies' after the n-th delivery (before its record) or before the n-th delivery."""

    def factory(config):
        backends = build_backends(config)
        ledger, mailer = backends.ledger, backends.mailer
        real_send = mailer.send
        deliveries = {"count": 0, "dead": False}

        def send(message):
            deliveries["count"] += 1
            if before_send is not None and deliveries["count"] == before_send:
                raise Crash("died before delivering")
            real_send(message)
            if after_send is not None and deliveries["count"] == after_send:
                deliveries["dead"] = True
                raise Crash("died between the delivery and its record")

        def unless_dead(method):
            def call(*args, **kwargs):
                if deliveries["dead"]:
                    raise Crash("a dead process records nothing more")
                return method(*args, **kwargs)
            return call

        mailer.send = send
        # Once dead, nothing more is recorded, not even the batch a `finally` would make durable.
        for name in ("record_intent", "record_done", "record_all_done", "record_decision"):
            setattr(ledger, name, unless_dead(getattr(ledger, name)))
        return backends

    return factory


def run(workspace, *argv, today=OPENS, backends_factory=build_backends):
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, environ={}, clock=FixedClock.on(today), backends_factory=backends_factory)
    try:
        status = main(["--config", str(workspace.config_path), *argv], env)
    except Crash:
        status = None
    return status, out.getvalue(), err.getvalue()


def people(workspace):
    workspace.write_form("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm"), mentor_row("juri.ounapuu@example.ee", "Jüri Õunapuu")])
    workspace.write_form("mentee", [mentee_row("kulli.saask@example.ee", "Külli Sääsk"), mentee_row("zanna.poder@example.ee", "Žanna Põder")])


def delivered(workspace) -> list[str]:
    return sorted(str(m["Message-ID"]) for m in workspace.messages())


@pytest.mark.parametrize("day", [OPENS, date(2026, 10, 20), date(2026, 11, 10)])
def test_every_job_run_twice_sends_nothing_the_second_time(workspace, day):
    people(workspace)
    status, _, _ = run(workspace, "run", today=day)
    first = delivered(workspace)
    assert status == ExitStatus.OK and first
    status, out, _ = run(workspace, "run", today=day)
    assert status == ExitStatus.OK
    assert delivered(workspace) == first


@pytest.mark.parametrize("crash_after", [1, 2, 3, 5])
def test_a_crash_between_delivery_and_record_neither_repeats_nor_loses(workspace, crash_after):
    people(workspace)
    status, _, _ = run(workspace, "run", today=date(2026, 11, 10))
    expected = len(delivered(workspace))
    for path in (workspace.path).glob("state.sqlite3*"):
        path.unlink()
    for path in (workspace.path / "outbox" / "new").iterdir():
        path.unlink()

    run(workspace, "run", today=date(2026, 11, 10), backends_factory=crashing_backends(after_send=crash_after))
    assert len(delivered(workspace)) == crash_after  # it died right after this delivery
    status, _, _ = run(workspace, "run", today=date(2026, 11, 10))
    ids = delivered(workspace)
    assert len(ids) == len(set(ids)) == expected


def test_a_crash_before_delivery_loses_nothing(workspace):
    people(workspace)
    run(workspace, "job", "intake", today=date(2026, 10, 8), backends_factory=crashing_backends(before_send=2))
    assert len(delivered(workspace)) == 1
    run(workspace, "job", "intake", today=date(2026, 10, 8))
    recipients = sorted(str(m["To"]) for m in workspace.messages())
    assert len(recipients) == 5  # four acknowledgements and the coordinators' digest, each once
    assert len(set(delivered(workspace))) == 5


def test_emails_are_made_durable_in_batches_and_none_is_recorded_sent_before_it_is_durable(workspace):
    """The Maildir's messages are synced once per batch, not once each; the ledger records an email done only after
    the sync that made its file durable."""
    many = [(f"Liige Number{i}", f"liige{i}@example.ee") for i in range(40)]
    workspace.write_members([[name, address, "2026"] for name, address in many])
    workspace.write_form("mentee", [mentee_row(address, name) for name, address in many])
    synced: set[str] = set()
    syncs = {"count": 0}
    recorded_before_sync: list[str] = []

    def watching(config):
        backends = build_backends(config)
        ledger, mailer = backends.ledger, backends.mailer
        real_sync, real_record_all, real_record = mailer.sync, ledger.record_all_done, ledger.record_done
        written: list[str] = []
        real_send = mailer.send

        def send(message):
            real_send(message)
            written.append(message.message_id)

        def sync():
            real_sync()
            syncs["count"] += 1
            synced.update(written)

        def check(keys):
            for key in keys:
                if ledger.state(key) is not None and message_id_for(key, config.association.sender_email) in written:
                    if message_id_for(key, config.association.sender_email) not in synced:
                        recorded_before_sync.append(key)

        def record_all_done(done, *, now):
            check([key for key, _ in done])
            real_record_all(done, now=now)

        def record_done(key, *, now, completes=None):
            check([key])
            real_record(key, now=now, completes=completes)

        mailer.send, mailer.sync, ledger.record_all_done, ledger.record_done = send, sync, record_all_done, record_done
        return backends

    status, out, err = run(workspace, "job", "intake", today=date(2026, 10, 8), backends_factory=watching)
    assert status == ExitStatus.OK, out + err
    sent = delivered(workspace)
    assert len(sent) == 41  # forty acknowledgements and the coordinators' digest
    assert recorded_before_sync == []
    assert 1 <= syncs["count"] <= 2
    with sqlite3.connect(workspace.path / "state.sqlite3") as connection:
        states = Counter(state for (state,) in connection.execute("SELECT state FROM effects WHERE kind = 'mail'"))
    assert states == {"done": 41}


def test_effects_durable_by_themselves_are_recorded_between_held_emails_without_a_sync_and_a_shared_value_ends_as_the_latest(workspace):
    """A document or a decision between emails is recorded at once (its own effect is on disk) without making the
    held emails durable first; where it remembers a value a held email remembers too, the emails go first; a mark
    that earlier effects are done is recorded with the emails, never before them."""
    config = workspace.config()
    backends = build_backends(config)
    syncs = []
    real_sync = backends.mailer.sync
    backends.mailer.sync = lambda: (syncs.append(len(delivered(workspace))), real_sync())
    clock = FixedClock.on(date(2026, 10, 8))
    effects = Effects(config, clock, backends, TemplateLibrary(bundled_templates_dir()), Report(io.StringIO()), dry_run=False)

    def email(number: int, remember: dict) -> None:
        effects.send(key=f"test/{number}", job="test", purpose="acknowledgement", template="events_notice", language="et",
                     to=[Recipient(f"liige{number}@example.ee", "Liige")], variables={"notices": ["x"]}, remember=remember)

    email(1, {"test/value": "from the first email"})
    email(2, {})
    effects.once("test/decision", job="test", purpose="remembered", remember={"test/other": "a decision"})
    effects.once("test/document", job="test", purpose="agreement", kind="document", do=lambda: None)
    effects.once("test/handled", job="test", purpose="event handled")  # a mark that what came before it is done
    assert syncs == []  # none waited for the emails
    assert backends.ledger.state("test/1") is EffectState.PENDING and backends.ledger.state("test/document") is EffectState.DONE
    assert backends.ledger.state("test/handled") is EffectState.PENDING and effects.is_done("test/handled")  # after the emails
    assert effects.is_done("test/1") and effects.recall("test/value", str, "") == "from the first email"
    effects.once("test/later", job="test", purpose="remembered", remember={"test/value": "from the later decision"})
    assert syncs == [2]  # the two emails first, then the decision that shares their value
    effects.make_durable()
    assert {backends.ledger.state(key) for key in ("test/1", "test/2", "test/handled")} == {EffectState.DONE}
    assert decode(backends.ledger.read_state("test/value"), str) == "from the later decision"
    assert decode(backends.ledger.read_state("test/other"), str) == "a decision"
    backends.close()


def test_held_emails_are_written_before_anything_else_the_run_does_and_a_stop_leaves_the_unwritten_ones_to_the_next_run(workspace):
    config = workspace.config()
    backends = build_backends(config)
    effects = Effects(config, FixedClock.on(date(2026, 10, 8)), backends, TemplateLibrary(bundled_templates_dir()), Report(io.StringIO()), dry_run=False)

    def email(number: int) -> None:
        effects.send(key=f"test/{number}", job="test", purpose="acknowledgement", template="events_notice", language="et",
                     to=[Recipient(f"liige{number}@example.ee", "Liige")], variables={"notices": ["x"]})

    for number in (1, 2, 3):
        email(number)
    assert delivered(workspace) == [] and backends.ledger.state("test/1") is None  # built, not yet written nor intended
    seen = []
    effects.once("test/document", job="test", purpose="agreement", kind="document", do=lambda: seen.append(len(delivered(workspace))))
    assert seen == [3]  # the three emails were written before the document
    for number in (4, 5, 6):
        email(number)
    effects.stop.request("SIGTERM")
    with pytest.raises(Stopped):
        effects.make_durable()
    assert len(delivered(workspace)) == 3
    assert [backends.ledger.state(f"test/{number}") for number in range(1, 7)] == [EffectState.DONE] * 3 + [None] * 3
    backends.close()


def test_a_message_read_in_a_mail_client_is_still_found_after_a_crash(workspace):
    people(workspace)
    run(workspace, "job", "intake", today=date(2026, 10, 8), backends_factory=crashing_backends(after_send=1))
    [only] = list((workspace.path / "outbox" / "new").iterdir())
    only.rename(workspace.path / "outbox" / "cur" / (only.name + ":2,S"))  # what a mail client does on reading
    run(workspace, "job", "intake", today=date(2026, 10, 8))
    assert len(list((workspace.path / "outbox" / "new").iterdir())) == 4  # the read one was not sent again


def test_a_second_run_while_one_holds_the_lock_exits_75(workspace):
    people(workspace)
    backends = build_backends(workspace.config())
    with backends.ledger.lock():
        status, _, err = run(workspace, "run")
        assert status == ExitStatus.LOCKED == 75
        assert "mentorlus juba käib ja hoiab lukku" in err
        assert delivered(workspace) == []
        with pytest.raises(LockHeld):
            with build_backends(workspace.config()).ledger.lock():
                pass
    status, _, _ = run(workspace, "run")
    assert status == ExitStatus.OK and delivered(workspace)


def test_a_year_whose_every_kind_of_effect_fails_now_and_then_ends_as_the_clean_year(tmp_path, clean_year):
    """Every n-th email, calendar save, document copy, fill and share, tab write and report fails, alternately before
    it happened and after (the answer lost); each failed day is run again, as after the coordinators' failure email."""
    failures = Failures({"send": 9, "calendar": 4, "document copy": 2, "document fill": 3, "document share": 2, "sheet write": 13, "report": 3})
    summary = play(tmp_path / "faulted", run_day=failing(failures), retries=30)
    assert summary.failures == []
    failed_kinds = {entry.split(" #")[0] for entry in failures.failed}
    assert failed_kinds == set(failures.every) and len(failures.failed) > 80
    assert any(entry.endswith("after") for entry in failures.failed) and any(entry.endswith("before") for entry in failures.failed)
    faulted, clean = state_of(tmp_path / "faulted" / "workspace"), state_of(clean_year / "workspace")
    assert faulted.differences(clean) == []
    assert max(faulted.messages.values()) == 1
    assert faulted.failure_notices > 0  # the coordinators were told of the failures: the only messages the clean year lacks


def test_a_year_of_real_runs_killed_at_random_moments_ends_as_the_clean_year(tmp_path, clean_year):
    """Each day's `mentorlus run` is a process of its own, SIGKILLed at a random moment on about half the days; a killed run is run again."""
    kills = Kills(random.Random(7), chance=0.5)
    play(tmp_path / "killed", run_day=killing(kills))
    assert kills.points >= 50, f"only {kills.points} runs were killed before they ended"
    killed, clean = state_of(tmp_path / "killed" / "workspace"), state_of(clean_year / "workspace")
    assert killed.differences(clean) == []
    assert max(killed.messages.values()) == 1


def test_replaying_every_past_day_after_the_year_sends_writes_and_records_nothing(tmp_path, clean_year):
    folder = tmp_path / "replayed"
    shutil.copytree(clean_year, folder)
    workspace = folder / "workspace"
    before = state_of(workspace)

    def ledger() -> tuple:
        with sqlite3.connect(workspace / "state.sqlite3") as connection:
            return tuple(tuple(connection.execute(f"SELECT * FROM {table} ORDER BY 1")) for table in ("effects", "state", "job_runs"))

    recorded = ledger()
    config = folder / "program.toml"
    day = date(2026, 10, 1)
    while day < date(2027, 6, 30):
        out, err = io.StringIO(), io.StringIO()
        status = main(["--config", str(config), "run", "--today", day.isoformat()], Environment(stdout=out, stderr=err, environ={}))
        assert status == ExitStatus.OK, out.getvalue() + err.getvalue()
        day += timedelta(days=1)
    assert state_of(workspace).differences(before) == []
    assert ledger() == recorded
    status = main(["--config", str(config), "match", "--today", "2026-11-30"], Environment(stdout=(out := io.StringIO()), stderr=io.StringIO(), environ={}))
    assert status == ExitStatus.OK and "varasemat päeva ei korrata" in out.getvalue()


def test_sigterm_stops_a_real_run_at_the_next_effect_and_the_next_run_finishes_it(workspace):
    people = [(f"Liige Number{i}", f"liige{i}@example.ee") for i in range(150)]
    workspace.write_members([[name, address, "2026"] for name, address in people])
    workspace.write_form("mentee", [mentee_row(address, name) for name, address in people])
    outbox = workspace.path / "outbox" / "new"
    process = subprocess.Popen([sys.executable, "-m", "automation", "--config", str(workspace.config_path), "job", "intake", "--today", "2026-10-08"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (outbox.exists() and len(list(outbox.iterdir())) >= 5):
        assert process.poll() is None and time.monotonic() < deadline, "the run ended before it could be stopped"
        time.sleep(0.002)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == ExitStatus.STOPPED == 143, out + err
    assert "peatatud signaaliga SIGTERM" in err and "järgmine käivitus jätkab" in err
    stopped_at = len(list(outbox.iterdir()))
    assert 5 <= stopped_at < len(people)
    with sqlite3.connect(workspace.path / "state.sqlite3") as connection:
        states = Counter(state for (state,) in connection.execute("SELECT state FROM effects WHERE kind = 'mail'"))
    assert states == {"done": stopped_at}  # the email in hand was finished and recorded; none was begun after
    with build_backends(workspace.config()).ledger.lock():  # the lock was let go
        pass
    status, out, err = run(workspace, "job", "intake", today=date(2026, 10, 8))
    assert status == ExitStatus.OK, out + err
    ids = delivered(workspace)
    assert len(ids) == len(set(ids)) == len(people) + 1  # every acknowledgement and the digest, each once


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["intent", "done", "decision", "abandon", "other process", "forget"]),
                          st.sampled_from(["intake/2026/ack/", "intake/2026/told/", "events/2026/invited/u1/"]),
                          st.sampled_from(["mari@x.ee", "juri@x.ee", "kati@x.ee"])), max_size=25))
def test_what_the_ledger_keeps_under_a_prefix_is_what_it_holds_whoever_wrote_it(tmp_path_factory, steps):
    """Done keys and remembered values under a prefix are kept between the queries of a process: after any records of
    its own, another process's, an abandoned intent or an erasure, they are what a fresh reader of the file finds."""
    from datetime import datetime

    from automation.backends.local.ledger import SqliteLedger
    from automation.ports import Completion

    path = tmp_path_factory.mktemp("ledger") / "state.sqlite3"
    ledger, now = SqliteLedger(path), datetime(2026, 11, 28, 7)
    prefixes = ["intake/2026/ack/", "intake/2026/told/", "events/2026/invited/u1/", "intake/2026/", "events/"]
    for number, (step, prefix, email) in enumerate(steps):
        key, values = f"{prefix}{email}", Completion({f"{prefix}{email}": str(number)}, (f"intake/2026/told/{number}",))
        for asked in prefixes:  # asked before every step, so that the kept answers are the ones tested
            ledger.keys_with_prefix(asked), ledger.states_with_prefix(asked)
        if step == "intent":
            ledger.record_intent(key, job="intake", recipient=email, purpose="p", now=now, completes=values)
        elif step == "done":
            ledger.record_done(key, now=now)
        elif step == "decision":
            ledger.record_decision(key, job="intake", purpose="p", now=now, completes=values)
        elif step == "abandon":
            ledger.abandon(key)
        elif step == "other process":
            other = SqliteLedger(path)
            other.record_decision(key + "/elsewhere", job="intake", purpose="p", now=now, completes=values)
            other.close()
        else:
            ledger.forget(email, [])
        fresh = SqliteLedger(path)
        for asked in prefixes:
            assert ledger.keys_with_prefix(asked) == fresh.keys_with_prefix(asked), (step, asked)
            assert ledger.states_with_prefix(asked) == fresh.states_with_prefix(asked), (step, asked)
        fresh.close()
