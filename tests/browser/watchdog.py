"""A browser test that hangs fails within minutes, says where, and runs once more.

Playwright's calls without a timeout of their own (evaluate, new_context, close, keyboard…) wait for
ever when Chromium stops answering: one CI run waited 80 minutes in such a call, and the stack that
faulthandler printed stopped at Playwright's event loop. Each phase of a browser test (set-up, call,
tear-down) therefore runs under a watchdog. When a phase takes longer than BROWSER_TEST_LIMIT seconds,
the watchdog prints every thread's and greenlet's stack (the test's own steps run in a greenlet, which
faulthandler cannot see), then kills the Chromium processes started by this run: Playwright's pending
call fails at once, the phase's error becomes BrowserHung, and the test is run once more in a new
browser (pytest-rerunfailures, for that error only; an assertion that fails is never run again). If
the phase still does not end, the run stops rather than wait for CI's limit.
"""

import contextlib
import faulthandler
import gc
import os
import signal
import sys
import threading
import traceback
from pathlib import Path

import greenlet
import pytest

LIMIT_S = float(os.environ.get("BROWSER_TEST_LIMIT", "300"))
GRACE_S = 60
HUNG = pytest.StashKey[bool]()
RERUN_WHEN_HUNG = pytest.mark.flaky(reruns=1, only_rerun=["BrowserHung"])


class BrowserHung(Exception):
    """Chromium stopped answering; the watchdog killed it. The test environment failed, not the product."""


def chromium_processes() -> list[int]:
    """The Chromium processes descending from this one (through Playwright's driver)."""
    children: dict[int, list[tuple[int, str]]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        parent = int(stat[stat.rindex(")") + 1 :].split()[1])
        children.setdefault(parent, []).append((int(entry.name), name))
    found, pending = [], [os.getpid()]
    while pending:
        for pid, name in children.get(pending.pop(), []):
            pending.append(pid)
            if name.startswith("chrom"):
                found.append(pid)
    return found


def print_stacks(nodeid: str, when: str) -> None:
    out = sys.__stderr__
    print(f"\n== {nodeid} ({when}): no answer from the browser in {LIMIT_S:.0f} s. Stacks:", file=out)
    faulthandler.dump_traceback(file=out, all_threads=True)
    for thing in gc.get_objects():
        # type(), not isinstance(): lazy objects (Django's, the CSP nonce) would evaluate themselves.
        if issubclass(type(thing), greenlet.greenlet) and thing.gr_frame is not None:
            print("\nA greenlet (most recent call last):", file=out)
            traceback.print_stack(thing.gr_frame, file=out)
    out.flush()


class Watchdog:
    def __init__(self, item: pytest.Item, when: str):
        self.item, self.when = item, when
        self.timers = [threading.Timer(LIMIT_S, self.kill_browsers)]

    def __enter__(self):
        self.item.stash[HUNG] = False
        self.timers[0].daemon = True
        self.timers[0].start()
        return self

    def __exit__(self, *exc_info):
        for timer in self.timers:
            timer.cancel()

    def kill_browsers(self) -> None:
        self.item.stash[HUNG] = True
        try:
            print_stacks(self.item.nodeid, self.when)
        except Exception as error:
            print(f"== The stacks could not be printed: {error!r}", file=sys.__stderr__)
        pids = chromium_processes()
        print(f"== Killing Chromium: processes {pids}.", file=sys.__stderr__, flush=True)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        last = threading.Timer(GRACE_S, self.stop_run)
        last.daemon = True
        self.timers.append(last)
        last.start()

    def stop_run(self) -> None:
        message = f"\n== {self.item.nodeid}: still hung {GRACE_S} s after Chromium was killed; stopping."
        print(message, file=sys.__stderr__)
        sys.__stderr__.flush()
        os._exit(70)


def watched(item: pytest.Item, when: str):
    """Runs a phase under the watchdog; its error, once the watchdog has fired, is BrowserHung."""
    with Watchdog(item, when):
        try:
            return (yield)
        except Exception as error:
            if item.stash.get(HUNG, False):
                raise BrowserHung(f"Chromium stopped answering during the {when} of {item.nodeid}") from error
            raise
