"""The benchmark harness's arithmetic and last line (bench/report.py); the benchmark itself is `make bench`."""

import pytest

from bench.report import ExportResult, PageResult, percentile, query_table, summary_line


@pytest.mark.parametrize(("p", "expected"), [(1, 1), (50, 50), (95, 95), (99, 99), (100, 100)])
def test_percentile_nearest_rank_of_hundred(p, expected):
    assert percentile(list(range(100, 0, -1)), p) == expected


@pytest.mark.parametrize(("p", "expected"), [(33, 10), (34, 20), (50, 20), (95, 30), (99, 30)])
def test_percentile_few_values_is_a_measured_one(p, expected):
    assert percentile([30, 10, 20], p) == expected


def test_percentile_of_nothing_refused():
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_summary_line_exact():
    pages = [
        PageResult("/", "/", 3, 1.0, [10.0, 20.0, 30.0]),
        PageResult("/meetings/", "/meetings/", 2, 1.0, [40.0, 120.5]),
        PageResult("admin", "/admin/", 1, 1.0, [900.0], public=False),
    ]
    exports = [
        ExportResult(
            "all", rows=200_000, seconds=4.0, first_byte_ms=5, first_row_ms=900, rss_growth_mb=3.26, copy_seconds=2.6
        ),
        ExportResult(
            "tenth", rows=20_000, seconds=0.5, first_byte_ms=5, first_row_ms=90, rss_growth_mb=4.04, copy_seconds=0.2
        ),
    ]

    assert summary_line(pages, exports) == "csv_vs_copy=0.65 export_rss_mb=4.0 worst_public_p95_ms=120.5"
    assert exports[0].rows_per_second == 50_000
    assert exports[0].copy_rows_per_second == pytest.approx(76_923, abs=1)


def test_summary_line_with_the_admin_visit_page():
    pages = [PageResult("/", "/", 1, 1.0, [10.0])]
    exports = [
        ExportResult("all", rows=10, seconds=1.0, first_byte_ms=1, first_row_ms=2, rss_growth_mb=1.0, copy_seconds=0.5)
    ]
    opened = PageResult("open", "/admin/", 3, 1.0, [100.0, 250.25, 120.0], public=False)
    saved = PageResult("save", "/admin/", 2, 1.0, [300.0, 410.5], public=False)

    assert summary_line(pages, exports, (opened, saved)) == (
        "csv_vs_copy=0.50 export_rss_mb=1.0 worst_public_p95_ms=10.0 "
        "admin_visit_open_p95_ms=250.2 admin_visit_save_p95_ms=410.5"
    )


def test_query_table_exact():
    assert query_table([("visit 30/20", 22, 40), ("visit 5/3", 22, 40)]).splitlines() == [
        "admin page queries   open   save",
        "visit 30/20            22     40",
        "visit 5/3              22     40",
    ]


def test_summary_line_with_cold_pages_apart():
    pages = [
        PageResult("/results/", "/results/", 2, 1.0, [10.0, 12.0]),
        PageResult("/results/ (cold)", "/results/", 2, 1.0, [90.0, 140.5], cold=True),
    ]
    exports = [ExportResult("all", 1000, 2.0, 5.0, 6.0, 4.0, 1.3)]

    assert summary_line(pages, exports) == (
        "csv_vs_copy=0.65 export_rss_mb=4.0 worst_public_p95_ms=12.0 worst_cold_p95_ms=140.5"
    )


def test_summary_line_reports_each_target_apart():
    pages = [
        PageResult("/", "/", 2, 1.0, [10.0, 11.0]),
        PageResult("/ (cold)", "/", 2, 1.0, [60.0, 95.5], cold=True),
        PageResult("itinerary (cold)", "/d/", 2, 1.0, [150.0, 180.25], cold=True, role="itinerary"),
        PageResult("admin meetings", "/admin/", 2, 1.0, [120.0, 140.0], public=False, role="admin-list"),
        PageResult("admin search a", "/admin/?q=a", 2, 1.0, [50.0, 70.0], public=False, role="admin-search"),
        PageResult("admin search b", "/admin/?q=b", 2, 1.0, [80.0, 90.0], public=False, role="admin-search"),
    ]

    assert summary_line(pages) == (
        "worst_public_p95_ms=11.0 worst_cold_p95_ms=95.5 itinerary_cold_p95_ms=180.2 "
        "admin_list_p95_ms=140.0 admin_search_ms=90.0"
    )
