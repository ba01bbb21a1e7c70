"""One exception root; the CLI turns each subclass into an exit status.

    raise ConfigError("registration.closes is before registration.opens", hint="...")

Every message says what is wrong and `hint` says how to fix it.
"""


class MentorlusError(Exception):
    """Something the user can fix; `hint` says how. `message_et` and `hint_et`: the same in Estonian, for the coordinators' email."""

    def __init__(self, message: str, *, hint: str = "", message_et: str = "", hint_et: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.message_et = message_et
        self.hint_et = hint_et

    def __str__(self) -> str:
        return f"{self.message}\n  How to fix: {self.hint}" if self.hint else self.message

    def text(self, language: str) -> str:
        """What the command line prints: Estonian for an Estonian config where the Estonian is written, else English."""
        return in_language(language, str(self), self.message_et, self.hint_et)


def in_language(language: str, english: str, message_et: str, hint_et: str) -> str:
    """An error as the command line prints it: the Estonian, with its fix, when asked for and written; else the English."""
    if language != "et" or not message_et:
        return english
    return f"{message_et}\n  Kuidas parandada: {hint_et}" if hint_et else message_et


class ConfigError(MentorlusError):
    """The config file, a template or the command line is wrong; nothing ran."""


class InputError(MentorlusError):
    """Data someone filled in (a form export, a sheet) cannot be used as it is."""


class TemplateError(MentorlusError):
    """A template is missing or uses a variable the job does not provide."""


class BackendError(MentorlusError):
    """A backend (files, Google, SMTP) refused or failed an operation."""


class LockHeld(MentorlusError):
    """Another run holds the workspace lock."""


class SendingPaused(MentorlusError):
    """The day's sending budget is spent; the next run continues where this one stopped."""
