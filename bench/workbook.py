"""A 50,000-row visit workbook read and previewed, as a worker does it for a large upload (workbooks.background).

    .venv/bin/python -m bench.workbook [--rows 50000]   # DATABASE_URL (default: BENCH_DATABASE_URL)

Writes a workbook of one visit whose people sheet has `--rows` people, then reads it (openpyxl's streaming
reader) and runs its preview (every row validated and saved, then all rolled back: the database is left as it
was). Prints `workbook_rows=<n> workbook_mb=<x> read_s=<s> preview_s=<s> preview_rows_per_s=<x> peak_mb=<x>` last.
"""

import argparse
import resource
import time

from bench.standalone import django_on_bench_database


def workbook(rows: int) -> bytes:
    from workbooks.sheets import workbook_bytes

    people = [{"name": f"Bench Person {number:05d}", "is_public": "no", "email": f"p{number}@example.org"}
              for number in range(rows)]  # fmt: skip
    visit = {
        "slug": "bench-workbook-visit", "title_en": "Bench workbook visit", "origin_country": "RU",
        "host_countries": "FR", "organiser": "Bench organiser", "start_date": "2026-11-23",
        "end_date": "2026-11-25", "home_time_zone": "Asia/Irkutsk", "status": "planned", "is_published": "no",
    }  # fmt: skip
    organizations = [{"name": "Bench organiser", "kind": "chamber", "country": "FR"}]
    return workbook_bytes({"visit": [visit], "organizations": organizations, "people": people})


def measure(rows: int) -> dict:
    from workbooks.loading import workbook_apply
    from workbooks.reading import read_upload

    content = workbook(rows)
    start, cpu = time.perf_counter(), time.process_time()
    sheets = read_upload([("bench.xlsx", content)])
    read_s, read_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    progress = []
    start, cpu = time.perf_counter(), time.process_time()
    report = workbook_apply(sheets=sheets, commit=False, progress=progress.append)
    preview_s, preview_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    assert not report.errors, report.errors[:5]
    return {
        "rows": sum(len(sheet.rows) for sheet in sheets.values()),
        "mb": len(content) / 1024 / 1024,
        "read_s": read_s,
        "read_cpu_s": read_cpu_s,
        "preview_s": preview_s,
        "preview_cpu_s": preview_cpu_s,
        "progress_reports": len(progress),
        "created": sum(count["created"] for count in report.counts.values()),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    arguments = parser.parse_args()
    django_on_bench_database("workbook")
    result = measure(arguments.rows)
    print(
        f"{result['rows']:,} rows ({result['mb']:.1f} MB): read in {result['read_s']:.1f} s "
        f"(CPU {result['read_cpu_s']:.1f} s), previewed in {result['preview_s']:.1f} s "
        f"(CPU {result['preview_cpu_s']:.1f} s), {result['created']:,} records created then rolled back, "
        f"{result['progress_reports']} progress reports"
    )
    print(
        f"workbook_rows={result['rows']} workbook_mb={result['mb']:.1f} read_s={result['read_s']:.2f} "
        f"preview_s={result['preview_s']:.2f} preview_rows_per_s={result['rows'] / result['preview_s']:.0f} "
        f"peak_mb={result['peak_mb']:.0f}"
    )


if __name__ == "__main__":
    main()
