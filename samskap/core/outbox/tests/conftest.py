"""A real SMTP server on loopback (aiosmtpd) for the outbox tests."""

import socket
from dataclasses import dataclass, field
from email import message_from_bytes

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Recorder:
    """The SMTP server's side: what it received, and what it answers."""

    received: list = field(default_factory=list)
    rcpt_reply: str = "250 OK"
    data_reply: str = "250 Message accepted for delivery"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if not self.rcpt_reply.startswith("250"):
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if not self.data_reply.startswith("250"):
            return self.data_reply
        self.received.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return self.data_reply

    def to(self, address: str) -> list:
        return [mail for rcpts, mail in self.received if address in rcpts]


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.recorder = Recorder()
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    """An SMTP server on a free loopback port, *not yet started* (``smtp.start()``), and the
    outbox pointed at it."""
    server = SmtpServer(free_port())
    settings.SAMSKAP_MAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.SAMSKAP_MAIL_OPTIONS = {"host": "127.0.0.1", "port": server.port, "timeout": 5}
    yield server
    server.stop()
