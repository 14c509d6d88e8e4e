"""The demo visit loaded once for a run of consecutive tests that use it, rather than once per test.

Loading the demo (`manage.py load_demo`: some 1,600 queries, with the history and the page cache's signals)
was the largest single cost of the suite: over 240 tests ask for it. A test that uses `demo` and does not
commit finds it loaded in a transaction that its own transaction nests in (a savepoint), as Django's
TestCase nests each test in what its class's `setUpTestData` made: what the test changes is rolled back
after it, the demo itself when the next test does not use it or the module ends. So a test that does not
use the demo never sees it, and one that commits (transactional, live server) loads it itself, as before.

The transaction is opened before the test's own (pytest_runtest_setup, before any fixture of the test),
which is why this is not a plain module-scoped fixture: that would keep the demo for every later test of
the module, those that do not ask for it too.
"""

from django.core.management import call_command
from django.db import connection, transaction

# The fixtures through which a test commits (pytest-django's), beside the django_db mark's transaction=True.
COMMITTING_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


def commits(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool(COMMITTING_FIXTURES & set(getattr(item, "fixturenames", ())))


def shares_demo(item) -> bool:
    return "demo" in getattr(item, "fixturenames", ()) and not commits(item)


class SharedDemo:
    """One per test process. `blocker` (pytest-django's database blocker) is set while a module that uses
    the demo runs; `wanted` says whether the test being set up shares the demo."""

    def __init__(self):
        self.blocker = None
        self.wanted = False
        self._atomic = None
        self._depth = 0

    @property
    def loaded(self) -> bool:
        return self._atomic is not None

    def load(self) -> None:
        if self._atomic is not None or self.blocker is None:
            return
        with self.blocker.unblock():
            atomic = transaction.atomic()
            atomic._from_testcase = True  # as Django's TestCase marks its own: a durable block may open inside
            atomic.__enter__()
            self._atomic, self._depth = atomic, len(connection.atomic_blocks)
            try:
                call_command("load_demo", verbosity=0)
            except BaseException:
                self.unload()
                raise

    def unload(self) -> None:
        if self._atomic is None:
            return
        atomic, self._atomic = self._atomic, None
        with self.blocker.unblock():
            if len(connection.atomic_blocks) != self._depth:
                raise RuntimeError(
                    "The shared demo's transaction is not the innermost one: a test or fixture left a transaction "
                    "open inside it (a module-scoped fixture that opens one should not be used with `demo`)."
                )
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
