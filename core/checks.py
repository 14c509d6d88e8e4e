"""System checks of a deployment that Django's own cannot know about."""

from django.conf import settings
from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning

# Cache backends whose entries live in one process: another process neither sees nor empties them.
PER_PROCESS_CACHES = frozenset({"django.core.cache.backends.locmem.LocMemCache"})


@register(Tags.caches, deploy=True)
def check_cache_shared_by_processes(app_configs, **kwargs) -> list[CheckWarning]:
    """Warns when several processes would each keep their own cache: one would go on serving what another
    has made out of date (`SERVER_PROCESSES`: how many processes the server starts)."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    processes = getattr(settings, "SERVER_PROCESSES", 1)
    if settings.DEBUG or processes <= 1 or backend not in PER_PROCESS_CACHES:
        return []
    return [
        CheckWarning(
            f"The default cache ({backend.rsplit('.', 1)[-1]}) is local to each process, and {processes} "
            "processes serve the site: a change made through one leaves the others serving out-of-date pages.",
            hint="Set DJANGO_REDIS_URL to one Redis that every process and server uses, "
            "or run a single process (GUNICORN_WORKERS=1) on a single server.",
            id="core.W001",
        )
    ]
