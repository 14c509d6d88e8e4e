"""Write each meeting's search document (meetings.search_documents) again, or check them (PostgreSQL)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from meetings.search_documents import documents_differences, documents_rebuild


class Command(BaseCommand):
    help = "Write each meeting's search document behind the admin search again (--check: compare). PostgreSQL only."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only compare, and fail if a meeting differs.")

    def handle(self, *args, check=False, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Search documents are kept on PostgreSQL only.")
        if not check:
            documents_rebuild()
        differences = documents_differences()
        if differences:
            lines = [f"meeting {meeting}: kept {kept}, made {made}" for meeting, kept, made in differences]
            raise CommandError("The search documents differ from the meetings:\n" + "\n".join(lines))
        self.stdout.write("The search documents match the meetings.")
