"""core.checks: a page cache that several processes would each keep on their own."""

import pytest
from django.core.checks import run_checks

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "checks"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/14"}}


def cache_warnings() -> list[str]:
    return [message.id for message in run_checks(include_deployment_checks=True, tags=["caches"])]


def test_deploy_check_warns_for_local_memory_cache_and_several_processes(settings):
    settings.DEBUG, settings.CACHES, settings.SERVER_PROCESSES = False, LOCMEM, 5

    [warning] = run_checks(include_deployment_checks=True, tags=["caches"])

    assert warning.id == "core.W001"
    assert warning.msg == (
        "The default cache (LocMemCache) is local to each process, and 5 processes serve the site: "
        "a change made through one leaves the others serving out-of-date pages."
    )


@pytest.mark.parametrize(
    ("debug", "caches", "processes"),
    [(False, REDIS, 5), (False, LOCMEM, 1), (True, LOCMEM, 5)],
    ids=["redis", "one-process", "debug"],
)
def test_deploy_check_silent_with_shared_cache_one_process_or_debug(settings, debug, caches, processes):
    settings.DEBUG, settings.CACHES, settings.SERVER_PROCESSES = debug, caches, processes

    assert cache_warnings() == []


def test_cache_check_runs_only_with_deploy(settings):
    settings.DEBUG, settings.CACHES, settings.SERVER_PROCESSES = False, LOCMEM, 5

    assert [message.id for message in run_checks(tags=["caches"])] == []
