"""The floor under the demo year: only rendering the same number of messages from the templates, building each as
multipart MIME and writing it into a Maildir. `bench_demo.py` prints the year's time against it.

    .venv/bin/python benchmarks/bench_floor.py --messages 3629

Not a test: its figures go into the README.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from automation.backends.local.mail import MaildirMailer  # noqa: E402
from automation.commands.check import all_template_samples  # noqa: E402
from automation.config import bundled_templates_dir, parse_config  # noqa: E402
from automation.demo import demo_config_text  # noqa: E402
from automation.emails import Recipient, TemplateLibrary, compose, message_id_for  # noqa: E402
from automation.jobs.base import common_variables  # noqa: E402

import tomllib  # noqa: E402


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
