from django.core.management.base import BaseCommand

from sampledata.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo visit (the Irkutsk region in Paris and Lyon, November 2018). Safe to run again."

    def handle(self, *args, **options):
        delegation = demo_load()
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded “{delegation}”: members {delegation.members.count()}, "
                    f"itinerary items {delegation.itinerary_items.count()}, meetings {delegation.meetings.count()}, "
                    f"agreements {delegation.agreements.count()}, follow-ups {delegation.follow_ups.count()}."
                )
            )
