"""Write the running counts of held meetings (meetings.tallies) again from the meetings, or check them."""

from django.core.management.base import BaseCommand, CommandError

from meetings.tallies import tallies_differences, tallies_rebuild


class Command(BaseCommand):
    help = "Write the counts of held meetings behind the results figures again from the meetings (--check: compare)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only compare, and fail if a count differs.")

    def handle(self, *args, check=False, **options):
        if not check:
            tallies_rebuild()
        differences = tallies_differences()
        if differences:
            lines = [
                f"{table} {keys}: kept {stored}, counted {counted}" for table, *keys, stored, counted in differences
            ]
            raise CommandError("The counts differ from the meetings:\n" + "\n".join(lines))
        self.stdout.write("The counts of held meetings match the meetings.")
