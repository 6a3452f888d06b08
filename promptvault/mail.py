"""Mail printed to the terminal in development, readable as it was written."""

import email.policy
import sys

from django.core.mail.backends import console

# Django encodes messages for SMTP, where a body line longer than 78 characters is sent
# quoted-printable: a long link then breaks with `=` at each line end and can't be copied.
# A terminal has no line limit and shows UTF-8, so text parts stay 8-bit and headers plain.
TERMINAL_POLICY = email.policy.default.clone(max_line_length=sys.maxsize, utf8=True)


class ConsoleEmailBackend(console.EmailBackend):
    """Django's console backend, printing each message with its links whole on one line."""

    def write_message(self, message):
        text = message.message(policy=TERMINAL_POLICY).as_bytes().decode(errors="replace")
        self.stream.write(f"{text}\n{'-' * 79}\n")
