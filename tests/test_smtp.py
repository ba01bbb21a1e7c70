"""The SMTP transport against a real SMTP server (aiosmtpd) on 127.0.0.1: STARTTLS or SSL, a login, nothing twice."""

from __future__ import annotations

import io
import logging
import socket
import ssl
from datetime import date
from email import message_from_bytes, policy

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from automation.cli import ExitStatus, main
from automation.clock import FixedClock
from automation.environment import Environment
from tests.conftest import mentee_row, mentor_row

PASSWORD = "s3cret-smtp-parool"


class Inbox:
    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"mentorlus@example.ee" and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def certificates():
    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server_context)
    return authority, server_context


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(server_context, *, implicit_tls: bool):
    inbox = Inbox()
    options = {"authenticator": authenticate}
    if implicit_tls:
        # The whole connection is TLS; aiosmtpd only knows STARTTLS as TLS for AUTH, hence auth_require_tls off here.
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), ssl_context=server_context, auth_require_tls=False, **options)
    else:
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=server_context, require_starttls=True, auth_require_tls=True, **options)
    controller.start()
    return controller, inbox


def smtp_config(workspace, port: int, security: str, authority) -> None:
    # The test's own certificate authority stands in for the public ones a real server's certificate chains to.
    authority.cert_pem.write_to_path(str(workspace.root / "ca.pem"))
    path = workspace.config_path
    path.write_text(path.read_text(encoding="utf-8") + f"""
[mail]
transport = "smtp"

[mail.smtp]
host = "127.0.0.1"
port = {port}
security = "{security}"
username = "mentorlus@example.ee"
password_env = "EKL_SMTP_PAROOL"
ca_file = "ca.pem"
timeout_seconds = 10
""", encoding="utf-8")


def run(workspace, authority, environ, *argv):
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, environ=environ, clock=FixedClock.on(date(2026, 10, 8)), sleep=lambda s: None)
    status = main(["--config", str(workspace.config_path), *argv], env)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_intake_mails_go_through_the_smtp_server_once_and_the_password_never_shows(workspace, certificates, security, caplog):
    authority, server_context = certificates
    controller, inbox = start(server_context, implicit_tls=security == "ssl")
    try:
        smtp_config(workspace, controller.port, security, authority)
        workspace.write_form("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")])
        workspace.write_form("mentee", [mentee_row("kulli.saask@example.ee", "Külli Sääsk")])
        caplog.set_level(logging.DEBUG)
        status, out, err = run(workspace, authority, {"EKL_SMTP_PAROOL": PASSWORD}, "--verbose", "job", "intake")
        assert status == ExitStatus.OK, out + err
        recipients = sorted(rcpt for rcpts, _ in inbox.messages for rcpt in rcpts)
        assert "mari.tamm@example.ee" in recipients and "kulli.saask@example.ee" in recipients
        assert all(message["Message-ID"].endswith(".mentorlus@example.ee>") for _, message in inbox.messages)
        count = len(inbox.messages)
        status, out, err = run(workspace, authority, {"EKL_SMTP_PAROOL": PASSWORD}, "job", "intake")
        assert status == ExitStatus.OK and len(inbox.messages) == count
        assert PASSWORD not in out + err + caplog.text
        assert len(list((workspace.path / "sent" / "new").iterdir())) == count  # the kept copies
    finally:
        controller.stop()


def test_a_missing_password_names_the_variable(workspace, certificates):
    authority, server_context = certificates
    controller, _ = start(server_context, implicit_tls=False)
    try:
        smtp_config(workspace, controller.port, "starttls", authority)
        workspace.write_form("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")])
        status, out, err = run(workspace, authority, {}, "job", "intake")
        assert status == ExitStatus.JOB_FAILED
        assert "EKL_SMTP_PAROOL" in err and "never in the config file" in err
    finally:
        controller.stop()


def test_a_wrong_password_says_which_login_was_refused(workspace, certificates):
    authority, server_context = certificates
    controller, inbox = start(server_context, implicit_tls=False)
    try:
        smtp_config(workspace, controller.port, "starttls", authority)
        workspace.write_form("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")])
        status, out, err = run(workspace, authority, {"EKL_SMTP_PAROOL": "vale"}, "job", "intake")
        assert status == ExitStatus.JOB_FAILED
        assert "refused the login of mentorlus@example.ee" in err and "vale" not in err
        assert inbox.messages == []
    finally:
        controller.stop()
