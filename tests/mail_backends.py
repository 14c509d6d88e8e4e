"""E-mail backends for tests: a mail server that refuses every message to one domain (REFUSED_DOMAIN) with an
SMTP error, and delivers the others as Django's locmem or file backend does. The Celery worker of
tests/mailings/test_worker.py is given the file one through DJANGO_EMAIL_BACKEND."""

from smtplib import SMTPRecipientsRefused

from django.core.mail.backends import filebased, locmem

REFUSED_DOMAIN = "@refused.example"


class RefusingMixin:
    def send_messages(self, email_messages):
        for message in email_messages:
            refused = [address for address in message.recipients() if address.endswith(REFUSED_DOMAIN)]
            if refused:
                raise SMTPRecipientsRefused(dict.fromkeys(refused, (550, b"5.1.1 Mailbox unavailable")))
        return super().send_messages(email_messages)


class RefusingLocmemBackend(RefusingMixin, locmem.EmailBackend):
    pass


class RefusingFileBackend(RefusingMixin, filebased.EmailBackend):
    pass
