"""`python -m automation` does what the `mentorlus` command does."""

from automation.cli import entry_point

entry_point()
