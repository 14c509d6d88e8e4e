"""Django set up for a bench command run on its own (`python -m bench.pdf`, `python -m bench.workbook`)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_on_bench_database(name: str) -> None:
    """Set Django up on `DATABASE_URL`, else `BENCH_DATABASE_URL`, else the `bench` database."""
    os.environ.setdefault(
        "DATABASE_URL", os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench")
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", f"bench-{name}-only")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
