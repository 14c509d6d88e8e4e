"""The benchmark's arithmetic and its printed report: pure functions, tested in tests/test_bench_report.py."""

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile by the nearest-rank method: a value that was measured, never interpolated."""
    if not values:
        raise ValueError("no values")
    if not 0 < p <= 100:
        raise ValueError("p must be in (0, 100]")
    ordered = sorted(values)
    return ordered[math.ceil(p / 100 * len(ordered)) - 1]


@dataclass(frozen=True)
class PageResult:
    name: str
    path: str
    requests: int
    seconds: float
    latencies_ms: Sequence[float]
    errors: int = 0
    public: bool = True
    # Rendered afresh each time (the page cache bypassed), not served from it.
    cold: bool = False
    # What the summary line reports it as: "itinerary" (the large visit's, with a target of its own),
    # "admin-list", "admin-search", or "" for any other page.
    role: str = ""

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def p(self, rank: float) -> float:
        return percentile(self.latencies_ms, rank)


@dataclass(frozen=True)
class ExportResult:
    name: str
    rows: int
    seconds: float
    first_byte_ms: float
    first_row_ms: float
    rss_growth_mb: float
    copy_seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds

    @property
    def copy_rows_per_second(self) -> float:
        return self.rows / self.copy_seconds

    @property
    def ratio(self) -> float:
        """The app's export throughput as a share of COPY's for the same rows."""
        return self.copy_seconds / self.seconds


def page_table(results: Sequence[PageResult]) -> str:
    width = max(len(result.name) for result in results)
    lines = [f"{'page':<{width}}  {'req/s':>7}  {'p50 ms':>7}  {'p95 ms':>7}  {'p99 ms':>7}  {'errors':>6}"]
    for r in results:
        lines.append(
            f"{r.name:<{width}}  {r.per_second:7.1f}  {r.p(50):7.1f}  {r.p(95):7.1f}  {r.p(99):7.1f}  {r.errors:6d}"
        )
    return "\n".join(lines)


def export_table(results: Sequence[ExportResult]) -> str:
    width = max(len(result.name) for result in results)
    header = (
        f"{'CSV export':<{width}}  {'rows':>7}  {'rows/s':>8}  {'TTFB ms':>7}  {'1st row ms':>10}  "
        f"{'RSS +MB':>7}  {'COPY rows/s':>11}  {'ratio':>5}"
    )
    lines = [header]
    for r in results:
        lines.append(
            f"{r.name:<{width}}  {r.rows:7d}  {r.rows_per_second:8.0f}  {r.first_byte_ms:7.1f}  "
            f"{r.first_row_ms:10.1f}  {r.rss_growth_mb:7.1f}  {r.copy_rows_per_second:11.0f}  {r.ratio:5.2f}"
        )
    return "\n".join(lines)


def query_table(rows: Sequence[tuple[str, int, int]]) -> str:
    """The queries of opening and of saving each admin page measured: (page, open, save)."""
    width = max(len("admin page queries"), *(len(name) for name, _, _ in rows))
    lines = [f"{'admin page queries':<{width}}  {'open':>5}  {'save':>5}"]
    lines += [f"{name:<{width}}  {opened:5d}  {saved:5d}" for name, opened, saved in rows]
    return "\n".join(lines)


def summary_line(
    pages: Sequence[PageResult],
    exports: Sequence[ExportResult] = (),
    admin_visit: tuple[PageResult, PageResult] | None = None,
) -> str:
    """The last line, of what was measured (`--only` measures a part): the export's ratio at full size (the
    largest export) and its worst memory growth; the worst p95 of the public pages from the page cache, and
    of those rendered afresh (cold) apart from the large itinerary, whose target is its own; the admin
    meetings list and the worst of its searches; opening and saving the large visit's admin page."""
    fields = []
    if exports:
        largest = max(exports, key=lambda r: r.rows)
        fields.append(f"csv_vs_copy={largest.ratio:.2f}")
        fields.append(f"export_rss_mb={max(r.rss_growth_mb for r in exports):.1f}")
    worst = [r.p(95) for r in pages if r.public and not r.cold]
    if worst:
        fields.append(f"worst_public_p95_ms={max(worst):.1f}")
    cold = [r.p(95) for r in pages if r.public and r.cold and r.role != "itinerary"]
    if cold:
        fields.append(f"worst_cold_p95_ms={max(cold):.1f}")
    itinerary = [r.p(95) for r in pages if r.public and r.cold and r.role == "itinerary"]
    if itinerary:
        fields.append(f"itinerary_cold_p95_ms={max(itinerary):.1f}")
    admin_list = [r.p(95) for r in pages if r.role == "admin-list"]
    if admin_list:
        fields.append(f"admin_list_p95_ms={max(admin_list):.1f}")
    admin_search = [r.p(95) for r in pages if r.role == "admin-search"]
    if admin_search:
        fields.append(f"admin_search_ms={max(admin_search):.1f}")
    if admin_visit is not None:
        opened, saved = admin_visit
        fields.append(f"admin_visit_open_p95_ms={opened.p(95):.1f}")
        fields.append(f"admin_visit_save_p95_ms={saved.p(95):.1f}")
    return " ".join(fields)
