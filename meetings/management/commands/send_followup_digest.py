"""`manage.py send_followup_digest`: the follow-up desk by e-mail to the Editors, run weekly by cron."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meetings.desk import follow_up_digest_send


class Command(BaseCommand):
    help = "E-mail the follow-up desk (overdue follow-ups, outcomes to record) to every member of the Editors group."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to read the desk as of, YYYY-MM-DD (default: today).")

    def handle(self, *args, today=None, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError(f"--today: {error}") from error
        sent = follow_up_digest_send(today=day, base_url=settings.SITE_URL)
        self.stdout.write(f"Follow-up digest sent to {sent} editor(s).")
