"""Write the running counts behind the results figures (meetings.tallies: held meetings per visit and
organization; meetings.totals: totals over the published visits) again from the rows, or check them."""

from django.core.management.base import BaseCommand, CommandError

from meetings.tallies import tallies_differences, tallies_rebuild
from meetings.totals import totals_differences, totals_rebuild


class Command(BaseCommand):
    help = "Write the counts behind the results figures again from the rows they count (--check: compare)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only compare, and fail if a count differs.")

    def handle(self, *args, check=False, **options):
        if not check:
            tallies_rebuild()
            totals_rebuild()
        differences = tallies_differences() + totals_differences()
        if differences:
            lines = [
                f"{table} {keys}: kept {stored}, counted {counted}" for table, *keys, stored, counted in differences
            ]
            raise CommandError("The counts differ from the rows they count:\n" + "\n".join(lines))
        self.stdout.write("The counts behind the results figures match the rows they count.")
