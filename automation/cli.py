"""The command line: it only translates arguments into calls and errors into exit statuses.

    status = main(["--config", "config/program.toml", "run", "--today", "2026-10-05"], Environment())

Commands: run, job, match, plan, check, preview, demo, scheduler, forget. See `mentorlus --help`.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import sys
from contextlib import contextmanager
from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import Iterator, NoReturn, Sequence

from automation import __version__
from automation.config import Config, find_config_path, language_of, load_config
from automation.domain.text import Say
from automation.environment import Environment
from automation.errors import ConfigError, LockHeld, MentorlusError
from automation.process import settled_before_work

logger = logging.getLogger(__name__)


class ExitStatus(IntEnum):
    OK = 0
    JOB_FAILED = 1
    USAGE_OR_CONFIG_ERROR = 2
    LOCKED = 75  # EX_TEMPFAIL: cron may simply try again later
    STOPPED = 143  # SIGTERM or SIGINT: stopped at an effect boundary, everything done so far recorded (128 + SIGTERM)


class _HelpShown(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, and writes help to the environment's stdout."""

    environment: Environment

    def error(self, message: str) -> NoReturn:
        raise ConfigError(f"{self.prog}: {message}", hint=f"see `{self.prog} --help`",
                          message_et=f"{self.prog}: {message}", hint_et=f"vaata `{self.prog} --help`")

    def _print_message(self, message: str, file=None) -> None:
        if message:
            self.environment.stdout.write(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self.environment.stderr.write(message)
        raise _HelpShown()


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date, write it as YYYY-MM-DD (ei ole kuupäev, kirjuta kujul AAAA-KK-PP)") from None


def build_parser(env: Environment) -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.environment = env
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="config file (else $MENTORLUS_CONFIG, else config/program.toml)")
    common.add_argument("--verbose", "-v", action="store_true", default=argparse.SUPPRESS, help="log what is done, and show whole messages in a dry run")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")

    parser = _Parser(prog="mentorlus", description="Runs the mentoring programme from cron: forms, emails, sheets, exactly once.", parents=[common])
    parser.environment = env
    parser.add_argument("--version", action="version", version=f"mentorlus {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text, parents=[common])
        sub.environment = env
        return sub

    run = command("run", "run every job due on the day (the cron entry point)")
    job = command("job", "run one job")
    job.add_argument("name", help="the job's name, as `mentorlus plan` lists it")
    match = command("match", "propose pairs into the Pairs tab now (the job `match`)")
    for sub in (run, job, match):
        sub.add_argument("--today", type=_day, metavar="YYYY-MM-DD", help="act as if it were this day")
        sub.add_argument("--dry-run", action="store_true", help="send, write and record nothing; print what would be sent to whom")
    command("plan", "print the programme year: each job, its dates, done or not")
    command("check", "check the config, every template and each form's questions; exit 2 if anything is wrong")
    preview = command("preview", "render one email template with sample data")
    preview.add_argument("template", help="template name, e.g. registration_open")
    preview.add_argument("--lang", choices=["et", "en"], default="et")
    preview.add_argument("--output", metavar="FILE", help="write the whole message (.eml) to FILE instead of printing it")
    demo = command("demo", "build a workspace with a synthetic cohort and play the programme year")
    demo.add_argument("--dir", metavar="DIR", help="where to build it (default: a new temporary folder)")
    demo.add_argument("--participants", type=int, default=120, metavar="N", help="how many people register (default 120)")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="random seed, for the same cohort again (default 1)")
    init = command("init", "write a config for this programme year, and an empty members register, into a folder of its own")
    init.add_argument("dir", help="the folder (it is made if it does not exist)")
    command("scheduler", "run the day's jobs every day at programme.run_time, without cron")
    command("setup", "Google: create the forms, sheets, folders and agreement template that are missing, and write their ids into the config")
    auth = command("auth", "Google: log in as the programme's account in a browser (OAuth) and keep the token outside the repository")
    auth.add_argument("--no-browser", action="store_true", help="print the link to open instead of opening a browser")
    forget = command("forget", "erase one person's data from the whole workspace and say what was erased")
    forget.add_argument("email", help="the address the person registered with")
    return parser


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> ExitStatus:
    env = env or Environment()
    argv = list(sys.argv[1:] if argv is None else argv)
    say = Say(_language(argv, env))
    parser = build_parser(env)
    try:
        args = parser.parse_args(argv)
    except _HelpShown:
        return ExitStatus.OK
    except ConfigError as error:
        print(f"mentorlus: {say('viga', 'error')}: {error.text(say.language)}", file=env.stderr)
        return ExitStatus.USAGE_OR_CONFIG_ERROR
    if args.command is None:
        parser.print_help()
        return ExitStatus.USAGE_OR_CONFIG_ERROR
    debug = getattr(args, "debug", False)
    with _logging_to(env, verbose=getattr(args, "verbose", False), debug=debug):
        try:
            return COMMANDS[args.command](args, env)
        except LockHeld as error:
            print(f"mentorlus: {error.text(say.language)}", file=env.stderr)
            return ExitStatus.LOCKED
        except MentorlusError as error:
            logger.debug("error", exc_info=True)
            print(f"mentorlus: {say('viga', 'error')}: {error.text(say.language)}", file=env.stderr)
            return ExitStatus.USAGE_OR_CONFIG_ERROR if isinstance(error, ConfigError) else ExitStatus.JOB_FAILED
        except KeyboardInterrupt:
            print(f"mentorlus: {say('katkestatud', 'interrupted')}", file=env.stderr)
            return ExitStatus.JOB_FAILED


def _language(argv: list[str], env: Environment) -> str:
    """The coordinators' language, known before the arguments are understood: a usage error is told in it too."""
    path = None
    for position, argument in enumerate(argv):
        if argument == "--config" and position + 1 < len(argv):
            path = argv[position + 1]
        elif argument.startswith("--config="):
            path = argument.split("=", 1)[1]
    return language_of(find_config_path(path, env.environ))


@contextmanager
def _logging_to(env: Environment, *, verbose: bool, debug: bool) -> Iterator[None]:
    handler = logging.StreamHandler(env.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s" if debug else "%(levelname)s: %(message)s"))
    root = logging.getLogger("automation")
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)


def _config(args: argparse.Namespace, env: Environment) -> Config:
    return load_config(find_config_path(getattr(args, "config", None), env.environ))


def _run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from automation.commands.runner import due_jobs

    config = _config(args, env)
    clock = env.clock_for(config, args.today)
    backends = env.backends_for(config)
    try:
        names = due_jobs(config, clock.today(), backends.ledger)
    finally:
        backends.close()
    return _run_jobs(args, env, config, clock, names)


def _job(args: argparse.Namespace, env: Environment) -> ExitStatus:
    config = _config(args, env)
    return _run_jobs(args, env, config, env.clock_for(config, args.today), [getattr(args, "name", args.command)])


def _run_jobs(args: argparse.Namespace, env: Environment, config: Config, clock, names: list[str]) -> ExitStatus:
    from automation.commands.runner import run_jobs

    say = Say(config.programme.language)
    if not names:
        print(say(f"{clock.today()}: sel päeval ei ole ühtki tööd", f"{clock.today()}: no job is due"), file=env.stdout)
        return ExitStatus.OK
    context = env.job_context(config, clock=clock, dry_run=args.dry_run, verbose=getattr(args, "verbose", False))
    try:
        with _stopping_on_signals(env), settled_before_work():
            outcomes = run_jobs(context, names)
    finally:
        context.backends.close()
    for outcome in outcomes:
        error = outcome.error_text(say.language)
        if outcome.stopped:
            print(f"{outcome.name}: {say('peatatud', 'stopped')}: {error}", file=env.stdout)
            print(say(f"mentorlus: {error}; lukk on vabastatud ja järgmine käivitus jätkab",
                      f"mentorlus: {error}; the lock is released and the next run continues"), file=env.stderr)
        elif outcome.ok:
            done = "; ".join(outcome.summary) or say("midagi polnud teha", "nothing to do")
            print(f"{outcome.name}: {say('korras', 'ok')}: {done}", file=env.stdout)
            for warning in outcome.warnings:
                print(f"{outcome.name}: {say('hoiatus', 'warning')}: {warning}", file=env.stderr)
        elif outcome.paused:
            print(f"{outcome.name}: {say('pausil', 'paused')}: {error}", file=env.stdout)
        elif outcome.postponed:
            print(f"{outcome.name}: {error}", file=env.stdout)
        else:
            print(f"{outcome.name}: {say('EBAÕNNESTUS (koordinaatoritele on teatatud)', 'FAILED (the coordinators are told)')}", file=env.stdout)
            print(f"mentorlus: {outcome.name} {say('ebaõnnestus', 'failed')}: {error}", file=env.stderr)
    sent = sum(context.report.counts.values())
    if context.dry_run:
        would = say.count(sent, ("{n} kiri", "{n} kirja"), ("{n} message", "{n} messages"))
        print(say(f"proovikäivitus: saadetaks {would}; midagi ei saadetud, kirjutatud ega salvestatud",
                  f"dry run: {would} would be sent; nothing was sent, written or recorded"), file=env.stdout)
    elif config.backend.kind == "local" and config.mail.transport == "backend" and sent:
        outbox = config.workspace / "outbox"
        print(say(f"NB: kirjad kirjutati ainult kausta {outbox}; keegi ei saanud neid kätte. "
                  "Nende saatmiseks kirjuta seadistusse [mail] transport = \"smtp\" (või kasuta Google'i taustasüsteemi).",
                  f"note: the messages were only written to {outbox}; nobody received them. "
                  "Set [mail] transport = \"smtp\" (or the Google backend) to send them."), file=env.stdout)
    if any(outcome.stopped for outcome in outcomes):
        return ExitStatus.STOPPED
    return ExitStatus.OK if all(outcome.ok or outcome.paused for outcome in outcomes) else ExitStatus.JOB_FAILED


@contextmanager
def _stopping_on_signals(env: Environment) -> Iterator[None]:
    """SIGTERM (what systemd and supervisors send) and SIGINT ask the run to stop before its next effect."""

    def request(signum: int, frame) -> None:
        env.stop.request(signal.Signals(signum).name)

    previous = {}
    try:
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, request)
    except ValueError:
        pass  # not the main thread (an embedding program): it stops the run its own way
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _plan(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from automation.commands.plan import plan_lines

    config = _config(args, env)
    backends = env.backends_for(config)
    try:
        lines = plan_lines(config, backends.ledger, env.clock_for(config).today())
    finally:
        backends.close()
    for line in lines:
        print(line, file=env.stdout)
    return ExitStatus.OK


def _check(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from automation.commands.check import check_everything

    config = _config(args, env)
    backends = env.backends_for(config)
    try:
        problems, passed, notes = check_everything(config, backends, env.clock_for(config).today())
    finally:
        backends.close()
    say = Say(config.programme.language)
    for line in passed:
        print(f"{say('korras', 'ok')}: {line}", file=env.stdout)
    for note in notes:
        print(f"{say('vaata üle', 'look at')}: {note}", file=env.stdout)
    for problem in problems:
        print(f"{say('probleem', 'problem')}: {problem}", file=env.stdout)
    if problems:
        print(say.count(len(problems), ("{n} probleem", "{n} probleemi"), ("{n} problem", "{n} problems")), file=env.stdout)
    else:
        print(say("kõik kontrollitu on korras", "everything checked is in order"), file=env.stdout)
    return ExitStatus.USAGE_OR_CONFIG_ERROR if problems else ExitStatus.OK


def _preview(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from automation.commands.check import preview_message

    config = _config(args, env)
    clock = env.clock_for(config)
    rendered, message = preview_message(config, args.template, args.lang, clock)
    if args.output:
        Path(args.output).write_bytes(message.as_bytes())
        print(Say(config.programme.language)(f"kirjutatud: {args.output}", f"wrote {args.output}"), file=env.stdout)
        return ExitStatus.OK
    print(f"Subject: {rendered.subject}\n\n{rendered.text}\n----- HTML -----\n{rendered.html}", file=env.stdout)
    return ExitStatus.OK


def _demo(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from automation.demo import run_demo

    if args.participants < 2:
        raise ConfigError("--participants must be at least 2", hint="a cohort needs a mentor and a mentee",
                          message_et="--participants peab olema vähemalt 2", hint_et="rühmas peab olema vähemalt üks mentor ja üks mentee")
    with settled_before_work():
        summary = run_demo(env, Path(args.dir) if args.dir else None, participants=args.participants, seed=args.seed)
    print(summary.text(env.program), file=env.stdout)
    return ExitStatus.OK if summary.failed_runs == 0 else ExitStatus.JOB_FAILED


def _forget(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from automation.jobs.erasure import forget

    config = _config(args, env)
    context = env.job_context(config, clock=env.clock_for(config))
    try:
        with context.backends.ledger.lock():
            erased, notes = forget(context, args.email)
    finally:
        context.backends.close()
    say = Say(config.programme.language)
    for line in erased + notes:
        print(line, file=env.stdout)
    if erased:
        print(f"{args.email}: " + say.count(len(erased), ("kustutatud {n} kohast", "kustutatud {n} kohast"), ("{n} place erased", "{n} places erased")),
              file=env.stdout)
    else:
        print(f"{args.email}: " + say("midagi polnud kustutada", "nothing to erase"), file=env.stdout)
    return ExitStatus.OK


def _setup(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from automation.backends.google import google_api
    from automation.backends.google.setup import provision
    from automation.emails import TemplateLibrary
    from automation.commands.setup import set_up

    config = _config(args, env)
    if config.backend.kind != "google":
        raise ConfigError("`mentorlus setup` creates things in Google Workspace, but backend.kind is \"local\"",
                          hint="set backend.kind = \"google\" and the [google] section first (see the README's set-up steps)",
                          message_et="`mentorlus setup` loob asju Google Workspace'i, aga backend.kind on \"local\"",
                          hint_et="kirjuta esmalt backend.kind = \"google\" ja jaotis [google] (vaata README seadistamise samme)")
    api = google_api(config, env.environ, env.sleep)
    try:
        lines = set_up(config, TemplateLibrary(config.templates_dir), lambda plan: provision(api, config, plan))
    finally:
        api.transport.close()
    for line in lines:
        print(line, file=env.stdout)
    return ExitStatus.OK


def _auth(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from automation.backends.google.auth import login

    config = _config(args, env)
    path = login(config, open_browser=not args.no_browser)
    print(Say(config.programme.language)(f"sisse logitud; tõend on failis {path} (ainult sinule loetav)",
                                         f"logged in; the token is in {path} (readable only by you)"), file=env.stdout)
    return ExitStatus.OK


def _init(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from automation.clock import SystemClock
    from automation.commands.init import initialise

    for line in initialise(Path(args.dir), today=(env.clock or SystemClock()).today(), program=env.program):
        print(line, file=env.stdout)
    return ExitStatus.OK


def _scheduler(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from automation.scheduler import run_scheduler

    config_path = find_config_path(getattr(args, "config", None), env.environ)
    load_config(config_path)  # refuse to start on a broken config
    run_scheduler(env, config_path)
    return ExitStatus.OK


COMMANDS = {
    "run": _run,
    "job": _job,
    "match": _job,
    "plan": _plan,
    "check": _check,
    "preview": _preview,
    "demo": _demo,
    "scheduler": _scheduler,
    "init": _init,
    "forget": _forget,
    "setup": _setup,
    "auth": _auth,
}


def program_name(argv0: str, executable: str) -> str:
    """How this program was started, as a person would type it again (cron and the README's hints)."""
    if argv0.endswith("__main__.py") or argv0 in ("-m", "-c", ""):
        return f"{executable} -m automation"
    found = argv0 if os.sep in argv0 else shutil.which(argv0) or argv0
    return os.path.abspath(found) if os.sep in found else found


def entry_point() -> None:
    try:
        status = main(env=Environment(program=program_name(sys.argv[0], sys.executable)))
    except BrokenPipeError:
        # The reader went away (`mentorlus preview x | head`): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = ExitStatus.OK
    sys.exit(int(status))
