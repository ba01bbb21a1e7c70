"""The floor under the demo year: only rendering messages from the templates, building each as multipart MIME and
writing it into a Maildir. `bench_demo.py` prints the year's time against it.

Two floors:
- `replay_seconds(recorded)`: the year's own messages again: each template rendered with the variables the year gave it,
  built with the same calendar part and attachments, written to a Maildir and synced once. `Recorder` notes them
  while the year plays (measuring only: it wraps the template library's `render` and the `compose` the effects use).
  The calendar parts and attachments are the year's bytes, so making them counts as the year's own work.
- `floor_seconds(n)`: as many messages cycling through every template with its sample variables, no calendar parts,
  no attachments (the floor before the replay: lighter than the year's messages, most of which carry a calendar).

    .venv/bin/python benchmarks/bench_floor.py --messages 3629

Not a test: its figures go into the README.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import automation.jobs.effects as effects_module  # noqa: E402
from automation.backends.local.mail import MaildirMailer  # noqa: E402
from automation.commands.check import all_template_samples  # noqa: E402
from automation.config import bundled_templates_dir, parse_config  # noqa: E402
from automation.demo import demo_config_text  # noqa: E402
from automation.emails import Recipient, TemplateLibrary, compose, message_id_for  # noqa: E402
from automation.jobs.base import common_variables  # noqa: E402

import tomllib  # noqa: E402


@dataclass
class Recorder:
    """The year's messages as the effects build them: (template, language, variables, what compose was given)."""

    messages: list[tuple[str, str, Any, dict]] = field(default_factory=list)
    _rendered: dict[int, tuple[str, str, Any]] = field(default_factory=dict)

    def __enter__(self) -> Recorder:
        self._render, self._compose = TemplateLibrary.render, effects_module.compose
        recorder = self

        def render(library, name, language, variables):
            rendered = recorder._render(library, name, language, variables)
            recorder._rendered[id(rendered)] = (name, language, variables, rendered)
            return rendered

        def compose_recorded(rendered, **given):
            name, language, variables, _ = recorder._rendered.pop(id(rendered))
            recorder.messages.append((name, language, variables, given))
            return recorder._compose(rendered, **given)

        TemplateLibrary.render, effects_module.compose = render, compose_recorded
        return self

    def __exit__(self, *exc) -> None:
        TemplateLibrary.render, effects_module.compose = self._render, self._compose
        self._rendered.clear()


def replay_seconds(recorded: Recorder, templates: Path | None = None) -> float:
    """Render, compose and write the recorded messages again, into a fresh Maildir, synced once."""
    library = TemplateLibrary(templates or bundled_templates_dir())
    with tempfile.TemporaryDirectory() as folder:
        mailer = MaildirMailer(Path(folder) / "outbox")
        started = time.perf_counter()
        for name, language, variables, given in recorded.messages:
            mailer.send(compose(library.render(name, language, variables), **given))
        mailer.sync()
        return time.perf_counter() - started


def floor_seconds(messages: int) -> float:
    """Render, compose and write `messages` messages, cycling through every template with its sample variables."""
    config = parse_config(tomllib.loads(demo_config_text(2026)), Path("program.toml"))
    library = TemplateLibrary(bundled_templates_dir())
    samples = [(name, {**common_variables(config, "et"), **variables}) for name, variables in all_template_samples(config, "et").items()]
    sent_at = datetime(2026, 10, 5, 7, tzinfo=timezone.utc)
    with tempfile.TemporaryDirectory() as folder:
        mailer = MaildirMailer(Path(folder) / "outbox")
        started = time.perf_counter()
        for number in range(messages):
            name, variables = samples[number % len(samples)]
            rendered = library.render(name, "et", variables)
            message_id = message_id_for(f"floor/{number}", "mentorlus@example.ee")
            message = compose(rendered, sender=Recipient("mentorlus@example.ee", "KNÜ mentorprogramm"), to=[Recipient(f"osaleja{number}@example.ee", "Mari Maasikas")],
                              reply_to=[Recipient("triin.pajo@example.ee", "Triin Pajo")], message_id=message_id, sent_at=sent_at, language="et")
            mailer.send(message)
        mailer.sync()  # durable, as the year's are: one sync for them all
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=3629)
    args = parser.parse_args()
    seconds = floor_seconds(args.messages)
    print(f"{args.messages} messages rendered, built and written in {seconds:.2f} s ({seconds / args.messages * 1000:.2f} ms each)")


if __name__ == "__main__":
    main()
