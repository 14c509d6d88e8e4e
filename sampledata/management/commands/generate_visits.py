import time

from django.core.management.base import BaseCommand, CommandError

from sampledata.generator import DEFAULT_SIZES, LARGE_VISIT_SLUG, DatabaseNotEmpty, visits_generate


class Command(BaseCommand):
    help = (
        "Fill an empty database with synthetic visits, organizations, people, itineraries, B2B meetings, "
        f"agreements and follow-ups: at scale 1, {DEFAULT_SIZES['visits']:,} visits and "
        f"{DEFAULT_SIZES['meetings']:,} meetings, including one large visit ({LARGE_VISIT_SLUG}). "
        "The same seed and scale always give the same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Times the default sizes: 1 (default), 0.1 for a small set."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--flush",
            action="store_true",
            help="First delete every existing contact, visit and meeting (users and groups stay).",
        )

    def handle(self, *args, scale, seed, flush, verbosity, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale must be more than 0 and at most 10.")
        started = time.monotonic()

        def progress(line):
            if verbosity > 1:
                self.stdout.write(f"{time.monotonic() - started:7.1f}s  {line}")

        try:
            report = visits_generate(scale=scale, seed=seed, flush=flush, progress=progress)
        except DatabaseNotEmpty:
            raise CommandError(
                "The database already holds organizations, people, visits or meetings. "
                "Run with --flush to delete them first (users and groups are kept), or use an empty database."
            ) from None
        if verbosity > 0:
            counts = ", ".join(f"{name} {count:,}" for name, count in sorted(report.counts.items()))
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generated in {time.monotonic() - started:.1f}s (scale {scale:g}, seed {seed}): {counts}. "
                    f"Large visit: /delegations/{LARGE_VISIT_SLUG}/"
                )
            )
