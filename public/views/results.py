"""The results page: what published visits produced, filtered, as figures, charts and tables, each table
also as a CSV file with the page's filters."""

from dataclasses import dataclass

from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from core.csv import csv_lines, neutralise
from delegations.models import Delegation

from ..cache import CachedForAnonymousMixin
from ..charts import BarChart, bar_chart
from ..filters import ResultsFilter
from ..results import Figures, Row, results_figures
from .meetings import filter_query


@dataclass(frozen=True)
class Table:
    """A table of the page: its rows' key column, its figure columns, and which one its chart draws."""

    slug: str
    caption: str
    description: str
    key_column: str
    key_label: str
    columns: tuple[tuple[str, str], ...]
    chart_column: str
    named: bool = False
    note: str = ""

    @property
    def wide(self) -> bool:
        """Too many columns to stand beside its chart: the table goes below it."""
        return len(self.columns) > 3

    def rows(self, figures: Figures) -> list[Row]:
        return getattr(figures, self.slug.replace("-", "_"))

    def chart(self, figures: Figures) -> BarChart:
        return bar_chart(
            slug=self.slug,
            title=self.caption,
            description=self.description,
            rows=[(row.label, row.values[self.chart_column], row.reported) for row in self.rows(figures)],
        )


TABLES = (
    Table(
        slug="agreements-by-kind",
        caption=gettext_lazy("Agreements signed, by kind"),
        description=gettext_lazy(
            "One bar per kind of agreement signed; documents reported without detail have a bar of their own."
        ),
        key_column="kind",
        key_label=gettext_lazy("Kind"),
        columns=(("agreements", gettext_lazy("Agreements signed")),),
        chart_column="agreements",
    ),
    Table(
        slug="funnel",
        caption=gettext_lazy("Follow-ups, from proposed to done"),
        description=gettext_lazy(
            "Follow-ups that reached each stage or went further, from proposed to done; then those dropped, "
            "at whatever stage."
        ),
        key_column="status",
        key_label=gettext_lazy("Stage"),
        columns=(
            ("now", gettext_lazy("Now at this stage")),
            ("reached", gettext_lazy("At this stage or further")),
        ),
        chart_column="reached",
    ),
    Table(
        slug="sectors",
        caption=gettext_lazy("Top sectors"),
        description=gettext_lazy("Meetings held in each sector, for the sectors with the most."),
        key_column="sector",
        key_label=gettext_lazy("Sector"),
        columns=(
            ("meetings_held", gettext_lazy("Meetings held")),
            ("follow_ups", gettext_lazy("Follow-ups")),
            ("visits", gettext_lazy("Visits with this priority")),
        ),
        chart_column="meetings_held",
        named=True,
        note=gettext_lazy("Meetings recorded one by one: those reported without detail have no sector."),
    ),
    Table(
        slug="organizations",
        caption=gettext_lazy("Organizations with the most meetings"),
        description=gettext_lazy("Meetings held by each organization, on either side, for those with the most."),
        key_column="organization",
        key_label=gettext_lazy("Organization"),
        columns=(("meetings_held", gettext_lazy("Meetings held")),),
        chart_column="meetings_held",
        named=True,
        note=gettext_lazy("Meetings recorded one by one: those reported without detail name no organization."),
    ),
    Table(
        slug="timeline",
        caption=gettext_lazy("Year by year"),
        description=gettext_lazy("Visits that began in each year."),
        key_column="year",
        key_label=gettext_lazy("Year"),
        columns=(
            ("visits", gettext_lazy("Visits")),
            ("meetings_held", gettext_lazy("Meetings held")),
            ("meetings_reported", pgettext_lazy("meetings", "of which reported without detail")),
            ("agreements", gettext_lazy("Agreements signed")),
            ("agreements_reported", pgettext_lazy("agreements", "of which reported without detail")),
            ("follow_ups", gettext_lazy("Follow-ups")),
        ),
        chart_column="visits",
    ),
)
TABLES_BY_SLUG = {table.slug: table for table in TABLES}


def published_results(filterset: ResultsFilter) -> Figures:
    """The figures of the published visits the (valid) filters pick: every one when no filter is given."""
    unfiltered = not any(value not in (None, "") for value in filterset.form.cleaned_data.values())
    return results_figures(filterset.qs, every_published=unfiltered)


def results_filterset(request) -> ResultsFilter:
    return ResultsFilter(request.GET, queryset=Delegation.objects.published(), request=request)


class ResultsView(CachedForAnonymousMixin, TemplateView):
    """Totals, charts and tables of what the published visits that match the filters produced."""

    cache_name = "results"
    cache_params = frozenset(ResultsFilter.base_filters)
    template_name = "public/results.html"

    @cached_property
    def filterset(self) -> ResultsFilter:
        return results_filterset(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter=self.filterset, **kwargs)
        if not self.filterset.is_valid():
            return context
        figures = published_results(self.filterset)
        query = filter_query(self.filterset).urlencode()
        context["figures"] = figures
        context["tables"] = [
            {
                "table": table,
                "body": [(row, [row.values[name] for name, _label in table.columns]) for row in table.rows(figures)],
                "chart": table.chart(figures),
                "csv_url": reverse("public:results-csv", kwargs={"table": table.slug}) + (f"?{query}" if query else ""),
            }
            for table in TABLES
        ]
        return context


def csv_cell(value) -> str:
    return neutralise(str(value))


@require_safe
def results_csv_view(request, table: str):
    """One table of the results page as CSV, with the page's filters; 400 for a filter it cannot apply."""
    if table not in TABLES_BY_SLUG:
        raise Http404
    table = TABLES_BY_SLUG[table]
    filterset = results_filterset(request)
    problems = [
        _("%(name)s: unknown filter") % {"name": name[:50]} for name in request.GET if name not in filterset.filters
    ]
    if not filterset.is_valid():
        for name, messages in filterset.errors.items():
            label = name if name in filterset.filters else _("filters")
            problems.extend(f"{label}: {message}" for message in messages)
    if problems:
        return HttpResponseBadRequest(
            "\n".join([_("The export cannot apply these filters:"), *problems, ""]),
            content_type="text/plain; charset=utf-8",
        )
    rows = table.rows(published_results(filterset))
    columns = (table.key_column, *(("name",) if table.named else ()), *(name for name, _label in table.columns))
    cells = [
        [row.key, *((row.label,) if table.named else ()), *(row.values[name] for name, _label in table.columns)]
        for row in rows
    ]
    filename = f"results-{table.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    return StreamingHttpResponse(
        csv_lines(cells, columns=columns, row=lambda cells: [csv_cell(cell) for cell in cells]),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)},
    )
