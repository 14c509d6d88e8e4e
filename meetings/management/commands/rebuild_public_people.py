"""Write each meeting's public people (meetings.people) again from the participants, or check them."""

from django.core.management.base import BaseCommand, CommandError

from meetings.people import people_differences, people_rebuild


class Command(BaseCommand):
    help = "Write each meeting's public people behind the CSV export again from the participants (--check: compare)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only compare, and fail if a meeting differs.")

    def handle(self, *args, check=False, **options):
        if not check:
            people_rebuild()
        differences = people_differences()
        if differences:
            lines = [f"meeting {meeting}: kept {kept}, counted {recounted}" for meeting, kept, recounted in differences]
            raise CommandError("The public people differ from the participants:\n" + "\n".join(lines))
        self.stdout.write("The public people match the participants.")
