"""The exactly-once ledger and the run lock, in one SQLite file.

    ledger = SqliteLedger(workspace / "state.sqlite3")
    with ledger.lock():
        if ledger.state(key) is None:
            ledger.record_intent(key, job="intake", recipient="mari@example.ee", purpose="ack", now=now,
                                 completes=Completion(remember={"mail/sent/2026-10-05": "12"}))
            ...effect...
            ledger.record_done(key, now=now)   # the effect and what it completes, in one transaction
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import sqlite3
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from automation.backends.scrub import ERASED
from automation.errors import LockHeld
from automation.ports import Completion, EffectState, Erased, Intent, JobRun


def _without(value, needle: str):
    """JSON without anything that mentions the needle: keys, list items and strings."""
    if isinstance(value, dict):
        return {k: _without(v, needle) for k, v in value.items() if needle not in str(k).lower() and not (isinstance(v, str) and needle in v.lower())}
    if isinstance(value, list):
        return [_without(item, needle) for item in value if needle not in json.dumps(item, ensure_ascii=False).lower()]
    return value


SCHEMA = """
CREATE TABLE IF NOT EXISTS effects (
    key TEXT PRIMARY KEY,
    job TEXT NOT NULL,
    recipient TEXT NOT NULL,
    purpose TEXT NOT NULL,
    state TEXT NOT NULL,
    intended_at TEXT NOT NULL,
    done_at TEXT
);
CREATE TABLE IF NOT EXISTS job_runs (
    id INTEGER PRIMARY KEY,
    job TEXT NOT NULL,
    day TEXT NOT NULL,
    ok INTEGER NOT NULL,
    summary TEXT NOT NULL,
    finished_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS job_runs_by_job ON job_runs (job, day);
CREATE TABLE IF NOT EXISTS state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# Added after the first release: what an intent completes (JSON), and the effect's kind ("mail", "calendar", ...).
MIGRATIONS = (
    "ALTER TABLE effects ADD COLUMN completes TEXT NOT NULL DEFAULT '{}'",
    "ALTER TABLE effects ADD COLUMN kind TEXT NOT NULL DEFAULT ''",
)


INSERT_INTENT = (
    "INSERT INTO effects (key, job, recipient, purpose, state, intended_at, completes, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (key) DO UPDATE SET completes = excluded.completes WHERE state = ?"
)


def _intent_row(intent: Intent, now: str) -> tuple[str, ...]:
    payload = json.dumps(intent.completes.as_json(), ensure_ascii=False, sort_keys=True)
    return (intent.key, intent.job, intent.recipient, intent.purpose, EffectState.PENDING.value, now, payload, intent.kind,
            EffectState.PENDING.value)


def _insert_intent(connection: sqlite3.Connection, key: str, job: str, recipient: str, purpose: str, now: datetime, kind: str,
                   completes: Completion | None) -> None:
    connection.execute(INSERT_INTENT, _intent_row(Intent(key, job, recipient, purpose, kind, completes or Completion()), now.isoformat()))


def _mark_all_done(connection: sqlite3.Connection, done: Sequence[tuple[str, Completion | None]], now: datetime) -> tuple[list[str], dict[str, str]]:
    """Inside a transaction: each effect done in its order, with what its intent carries (or its completion). A value
    several of them remember is written once, as the last one leaves it. The keys now done, and the values written."""
    at = now.isoformat()
    remembered: dict[str, str] = {}
    now_done: list[str] = []
    also: list[tuple[str, str, str, str, str, str, str]] = []
    keys = list(dict.fromkeys(key for key, _ in done))
    carried = {key: Completion.from_json(json.loads(text or "{}"))
               for key, text in _rows_for(connection, "SELECT key, completes FROM effects WHERE key IN ({})",
                                          [key for key, completes in done if completes is None])}
    # The job comes back from the update itself; no row, no intent: nothing of it is recorded.
    job_of = dict(_rows_for(connection, "UPDATE effects SET state = ?, done_at = ?, completes = '{{}}' WHERE key IN ({}) RETURNING key, job",
                            keys, (EffectState.DONE.value, at)))
    for key, completes in done:
        completes = completes if completes is not None else carried.get(key)
        if key not in job_of or completes is None:
            continue
        now_done += [key, *completes.also_done]
        remembered.update(completes.remember)
        also += [(also_key, job_of[key], "recorded with " + key, EffectState.DONE.value, at, at) for also_key in completes.also_done]
    if remembered:
        connection.executemany("INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               remembered.items())
    if also:
        connection.executemany(
            "INSERT INTO effects (key, job, recipient, purpose, state, intended_at, done_at) VALUES (?, ?, '', ?, ?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET state = excluded.state, done_at = excluded.done_at",
            also,
        )
    return now_done, remembered


def _rows_for(connection: sqlite3.Connection, statement: str, keys: Sequence[str], before: tuple = ()) -> list[tuple]:
    """`statement` with its "{}" standing for as many places as keys, run for the keys a few hundred at a time
    (SQLite allows only so many bound values in one statement); its rows, all of them."""
    rows: list[tuple] = []
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        rows += connection.execute(statement.format(", ".join("?" * len(chunk))), (*before, *chunk)).fetchall()
    return rows


def _prefixes(key: str) -> Iterator[str]:
    """Each prefix of the key that ends in "/": "a/b/c" gives "a/" and "a/b/"."""
    end = key.find("/")
    while end != -1:
        yield key[: end + 1]
        end = key.find("/", end + 1)


class SqliteLedger:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection = sqlite3.connect(path, isolation_level=None)
        self._connection.execute("PRAGMA journal_mode=WAL")
        # Each record is committed before the next effect: NORMAL is durable enough in WAL mode
        # across a process crash, which is the failure the ledger protects against.
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.executescript(SCHEMA)
        columns = {row[1] for row in self._connection.execute("PRAGMA table_info(effects)")}
        for statement in MIGRATIONS:
            if statement.split("ADD COLUMN ")[1].split()[0] not in columns:
                self._connection.execute(statement)
        # Every run asks for the pending effects: the few of them, not a scan of the year's thousands.
        self._connection.execute(f"CREATE INDEX IF NOT EXISTS effects_pending ON effects (kind) WHERE state = '{EffectState.PENDING.value}'")
        # What is done, and what is remembered, under each prefix (ending in "/") the runs ask of again and again (the
        # events handled, the acknowledgements sent, the people invited): kept in step with this connection's own
        # records, and read afresh once another connection has written (`PRAGMA data_version` says so).
        self._done_under: dict[str, set[str]] = {}
        self._values_under: dict[str, dict[str, str]] = {}
        self._data_version = -1

    def close(self) -> None:
        self._connection.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._connection.execute("BEGIN IMMEDIATE")
        try:
            yield self._connection
        except BaseException:
            self._connection.execute("ROLLBACK")
            raise
        self._connection.execute("COMMIT")

    def state(self, key: str) -> EffectState | None:
        row = self._connection.execute("SELECT state FROM effects WHERE key = ?", (key,)).fetchone()
        return EffectState(row[0]) if row else None

    def record_intent(self, key: str, *, job: str, recipient: str, purpose: str, now: datetime, kind: str = "",
                      completes: Completion | None = None) -> None:
        """The effect is about to happen; `completes` is applied, in one transaction, when it is recorded done."""
        _insert_intent(self._connection, key, job, recipient, purpose, now, kind, completes)

    def record_intents(self, intents: Sequence[Intent], *, now: datetime) -> None:
        """Several intents in their order, in one transaction: effects about to happen one after another."""
        at = now.isoformat()
        with self._transaction() as connection:
            connection.executemany(INSERT_INTENT, [_intent_row(intent, at) for intent in intents])

    def record_done(self, key: str, *, now: datetime, completes: Completion | None = None) -> None:
        """The effect happened: recorded, with every value and told item its intent carries (or `completes`), all at once."""
        self.record_all_done([(key, completes)], now=now)

    def record_all_done(self, done: Sequence[tuple[str, Completion | None]], *, now: datetime) -> None:
        """Several effects recorded done in their order, in one transaction: a later one's value wins."""
        with self._transaction() as connection:
            recorded = _mark_all_done(connection, done, now)
        self._kept_in_step(*recorded)

    def record_decision(self, key: str, *, job: str, purpose: str, now: datetime, completes: Completion) -> None:
        """An effect with nothing outside the ledger (a decision remembered, an event marked handled): its intent and
        its completion in one transaction, as no crash can fall between them."""
        with self._transaction() as connection:
            _insert_intent(connection, key, job, "", purpose, now, "state", completes)
            recorded = _mark_all_done(connection, [(key, completes)], now)
        self._kept_in_step(*recorded)

    def pending(self, kind: str) -> list[str]:
        """Keys of effects of this kind whose intent is recorded and completion is not (a run died in between), in the order
        they were intended: settled in that order, a value several of them remember (the day's count of emails) ends as the last."""
        # The state written out, not bound: only then can SQLite use the index of pending effects.
        rows = self._connection.execute(f"SELECT key FROM effects WHERE state = '{EffectState.PENDING.value}' AND kind = ? ORDER BY rowid", (kind,))
        return [row[0] for row in rows]

    def abandon(self, key: str) -> None:
        """A pending effect that did not happen: its intent goes, so that the job decides it afresh."""
        self._connection.execute("DELETE FROM effects WHERE key = ? AND state = ?", (key, EffectState.PENDING.value))

    def keys_with_prefix(self, prefix: str) -> set[str]:
        self._drop_kept_if_written_elsewhere()
        kept = self._done_under.get(prefix)
        if kept is None:
            upper = prefix + "\U0010ffff"
            rows = self._connection.execute(
                "SELECT key FROM effects WHERE key >= ? AND key < ? AND state = ?", (prefix, upper, EffectState.DONE.value)
            )
            kept = {row[0] for row in rows}
            if prefix.endswith("/"):
                self._done_under[prefix] = kept
        return set(kept)

    def read_state(self, key: str) -> str | None:
        row = self._connection.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def states_with_prefix(self, prefix: str) -> dict[str, str]:
        self._drop_kept_if_written_elsewhere()
        kept = self._values_under.get(prefix)
        if kept is None:
            upper = prefix + "\U0010ffff"
            kept = dict(self._connection.execute("SELECT key, value FROM state WHERE key >= ? AND key < ?", (prefix, upper)))
            if prefix.endswith("/"):
                self._values_under[prefix] = kept
        return dict(kept)

    def _drop_kept_if_written_elsewhere(self) -> None:
        """What is kept under prefixes stays only while no other connection (another run, another command) has written."""
        version = self._connection.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            self._forget_kept()
            self._data_version = version

    def _forget_kept(self) -> None:
        self._done_under.clear()
        self._values_under.clear()

    def _kept_in_step(self, done: Sequence[str], remembered: Mapping[str, str]) -> None:
        """This connection's own records, into what is kept under each prefix of theirs."""
        if not (self._done_under or self._values_under):
            return
        for key in done:
            for prefix in _prefixes(key):
                if prefix in self._done_under:
                    self._done_under[prefix].add(key)
        for key, value in remembered.items():
            for prefix in _prefixes(key):
                if prefix in self._values_under:
                    self._values_under[prefix][key] = value

    def record_job_run(self, run: JobRun) -> None:
        self._connection.execute(
            "INSERT INTO job_runs (job, day, ok, summary, finished_at) VALUES (?, ?, ?, ?, ?)",
            (run.job, run.day.isoformat(), int(run.ok), run.summary, run.finished_at.isoformat()),
        )

    def job_runs(self, job: str) -> list[JobRun]:
        rows = self._connection.execute(
            "SELECT job, day, ok, summary, finished_at FROM job_runs WHERE job = ? ORDER BY day, id", (job,)
        )
        return [
            JobRun(job, date.fromisoformat(day), bool(ok), summary, datetime.fromisoformat(finished))
            for job, day, ok, summary, finished in rows
        ]

    def last_day(self, job: str | None = None, *, ok: bool = False) -> date | None:
        """The latest day the job (any job, when None) ran on; with `ok`, ran without failing."""
        # One statement for each case, so that SQLite reads a job's runs by the (job, day) index.
        if job is None:
            (day,) = self._connection.execute("SELECT max(day) FROM job_runs WHERE ok = 1 OR NOT ?", (ok,)).fetchone()
        else:
            (day,) = self._connection.execute("SELECT max(day) FROM job_runs WHERE job = ? AND (ok = 1 OR NOT ?)", (job, ok)).fetchone()
        return date.fromisoformat(day) if day else None

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]:
        """The person's effects, their traces in what the tool remembers and in job summaries: gone, for good."""
        needle = email.lower()
        self._forget_kept()  # read afresh after this: what is deleted here is not kept either
        connection = self._connection
        connection.execute("PRAGMA secure_delete = ON")
        effects = connection.execute(
            "DELETE FROM effects WHERE lower(key) LIKE ? OR lower(recipient) LIKE ?", (f"%{needle}%", f"%{needle}%")
        ).rowcount
        states = 0
        for key, value in connection.execute("SELECT key, value FROM state").fetchall():
            if needle in key.lower():
                connection.execute("DELETE FROM state WHERE key = ?", (key,))
                states += 1
            elif needle in value.lower():
                cleaned = _without(json.loads(value), needle)
                connection.execute("UPDATE state SET value = ? WHERE key = ?", (json.dumps(cleaned, ensure_ascii=False, sort_keys=True), key))
                states += 1
        for key, completes in connection.execute("SELECT key, completes FROM effects WHERE lower(completes) LIKE ?", (f"%{needle}%",)).fetchall():
            cleaned = _without(json.loads(completes), needle)
            connection.execute("UPDATE effects SET completes = ? WHERE key = ?", (json.dumps(cleaned, ensure_ascii=False), key))
        runs = 0
        for row_id, summary in connection.execute("SELECT id, summary FROM job_runs").fetchall():
            scrubbed = summary
            for text in (email, *names):
                if text:
                    scrubbed = re.sub(re.escape(text), ERASED, scrubbed, flags=re.IGNORECASE)
            if scrubbed != summary:
                connection.execute("UPDATE job_runs SET summary = ? WHERE id = ?", (scrubbed, row_id))
                runs += 1
        self._compact()
        counted = [("records", effects), ("values", states), ("summaries", runs)]
        return [Erased("ledger", kind, count) for kind, count in counted if count]

    def forget_everyone(self) -> list[Erased]:
        """Retention: who got what is forgotten; the job runs (dates and outcomes) stay."""
        self._forget_kept()
        connection = self._connection
        connection.execute("PRAGMA secure_delete = ON")
        effects = connection.execute("DELETE FROM effects").rowcount
        states = connection.execute("DELETE FROM state").rowcount
        connection.execute("UPDATE job_runs SET summary = ''")
        self._compact()
        if not effects and not states:
            return []
        return [Erased("ledger", "records", effects), Erased("ledger", "values", states), Erased("ledger", "summaries_cleared")]

    def _compact(self) -> None:
        # Deleted rows must not linger in the write-ahead log or in free pages of the file:
        # out of WAL mode (which empties and removes the log), rewrite the file, and back.
        self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._connection.execute("PRAGMA journal_mode=DELETE")
        self._connection.execute("VACUUM")
        self._connection.execute("PRAGMA journal_mode=WAL")

    @contextmanager
    def lock(self) -> Iterator[None]:
        lock_path = self.path.with_name("mentorlus.lock")
        handle = open(lock_path, "a+")
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise LockHeld(
                    f"another mentorlus run holds the lock on {lock_path} ({holder})",
                    hint="wait for it to finish; if no run is going on, the lock frees itself when its process ends",
                    message_et=f"mentorlus juba käib ja hoiab lukku {lock_path} ({holder})",
                    hint_et="oota, kuni see lõpeb; kui ükski käivitus ei käi, vabaneb lukk ise, kui selle protsess lõpeb",
                ) from None
            holder = f"pid {os.getpid()}\n"
            handle.seek(0)
            if handle.read() != holder:  # the scheduler's process takes the lock every day: written once
                handle.seek(0)
                handle.truncate()
                handle.write(holder)
                handle.flush()
            yield
        finally:
            handle.close()
