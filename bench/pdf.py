"""The PDF part of `make bench`, alone against a bench database: the programme of the large generated visit
(300 items, 2,000 meetings at full scale) and the agendas of every organization with a meeting in it (300 at
full scale), rendered as one batch (documents.agendas.render_agendas).

    .venv/bin/python -m bench.pdf     # DATABASE_URL (default: BENCH_DATABASE_URL, else the bench database)

Prints `pdf_programme_s=<s> agendas_per_s=<x>` last.
"""

import resource
import time

from bench.standalone import django_on_bench_database


def cpu_time() -> float:
    """CPU seconds of this process and of its children that have ended (documents' worker processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def measure() -> dict:
    """In a configured Django process: seconds for the programme, agendas per second for the batch."""
    from django.db.models import Q

    from contacts.models import Organization
    from delegations.models import Delegation
    from documents.agendas import render_agendas
    from documents.programme import programme_pdf
    from meetings.models import Meeting
    from sampledata.generator import LARGE_VISIT_SLUG

    visit = Delegation.objects.select_related("leading_body", "organiser").get(slug=LARGE_VISIT_SLUG)
    meetings = Meeting.objects.filter(delegation=visit)
    organizations = list(
        Organization.objects.filter(
            Q(pk__in=meetings.values("host_organization")) | Q(pk__in=meetings.values("delegation_organization"))
        ).order_by("pk")[:300]
    )
    start, cpu = time.perf_counter(), cpu_time()
    programme = programme_pdf(visit, language="en")
    programme_s, programme_cpu_s = time.perf_counter() - start, cpu_time() - cpu
    start, cpu = time.perf_counter(), cpu_time()
    sizes = [len(content) for _organization, content in render_agendas(visit, organizations, language="en")]
    agendas_s, agendas_cpu_s = time.perf_counter() - start, cpu_time() - cpu
    return {
        "items": visit.itinerary_items.count(),
        "meetings": meetings.count(),
        "programme_bytes": len(programme),
        "programme_s": programme_s,
        "programme_cpu_s": programme_cpu_s,
        "agendas": len(sizes),
        "agendas_s": agendas_s,
        "agendas_cpu_s": agendas_cpu_s,
        "agendas_per_s": len(sizes) / agendas_s if agendas_s else 0.0,
    }


def report(result: dict) -> str:
    """Wall time and CPU time (this process's and its worker processes'): on a shared machine the two tell load
    from work."""
    return (
        f"large visit: {result['items']} items, {result['meetings']:,} meetings; programme "
        f"{result['programme_bytes'] / 1024:.0f} kB in {result['programme_s']:.2f} s "
        f"(CPU {result['programme_cpu_s']:.2f} s); {result['agendas']} agendas in {result['agendas_s']:.2f} s "
        f"(CPU {result['agendas_cpu_s']:.2f} s)"
    )


def summary(result: dict) -> str:
    return f"pdf_programme_s={result['programme_s']:.2f} agendas_per_s={result['agendas_per_s']:.1f}"


def main() -> None:
    django_on_bench_database("pdf")
    result = measure()
    print(report(result))
    print(summary(result))


if __name__ == "__main__":
    main()
