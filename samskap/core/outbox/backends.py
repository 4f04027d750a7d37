"""E-mail backends of the outbox.

``FileEmailBackend`` is the transport of an installation without a mail server: each message
becomes ``<folder>/<YYYY-MM-DD>/<message-id>.eml``. The file is named by the Message-ID, so
delivering the same message twice (a worker killed between writing and recording) leaves one
file, not two.

``OutboxEmailBackend`` is Django's ``EMAIL_BACKEND``: anything that calls Django's
``send_mail`` (password reset, admin errors) is queued in the outbox inside the current
transaction rather than sent inside the request.
"""

import re
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


def _file_name(message_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._@-]", "", message_id) or "message"


class FileEmailBackend(BaseEmailBackend):
    def __init__(self, folder: str | None = None, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        from django.conf import settings

        self.folder = Path(folder or settings.SAMSKAP_MAIL_FOLDER)

    def send_messages(self, email_messages) -> int:
        sent = 0
        day_folder = self.folder / timezone.localdate().isoformat()
        day_folder.mkdir(parents=True, exist_ok=True)
        for email in email_messages:
            mime = email.message()
            name = _file_name(mime["Message-ID"] or "") + ".eml"
            temporary = day_folder / (name + ".part")
            # Written aside and renamed, so a reader never sees half a message.
            temporary.write_bytes(mime.as_bytes(linesep="\r\n"))
            temporary.replace(day_folder / name)
            sent += 1
        return sent


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from . import send_email

        count = 0
        for email in email_messages:
            for recipient in [*email.to, *email.cc, *email.bcc]:
                send_email(to=recipient, subject=email.subject, body=email.body, kind="django")
                count += 1
        return count
