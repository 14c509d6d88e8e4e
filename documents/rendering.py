"""HTML templates to PDF, with WeasyPrint.

A document is a template under templates/documents/ rendered in the active language, laid out on A4 by the
print stylesheet static/documents/print.css. WeasyPrint reads that stylesheet itself, through Django's
staticfiles finders (parsed once per process, again when the file changes), and fetches nothing else:
neither from the network nor from disk (StaticFilesFetcher). Fonts come from the system's fontconfig
(Debian's Noto: Latin, Cyrillic, CJK) and are embedded, subset to the characters used.

Several documents made together (a batch of agendas) are laid out in one WeasyPrint document, written once and
cut into one PDF each with pypdf: embedding a font (subsetting Noto's CJK face costs about 40 ms) is then paid
once for the batch rather than once for each document. Independent pieces of work run in forked worker
processes when the machine has several cores (in_workers).
"""

import functools
import io
import itertools
import mimetypes
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pypdf
import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A base address that names no real host: relative links in a document resolve under it, and only static
# files under it are ever fetched.
BASE_URL = "https://documents.invalid/"
STYLESHEET = "documents/print.css"


def static_url(name: str) -> str:
    return BASE_URL + settings.STATIC_URL.strip("/") + "/" + name


class StaticFilesFetcher(URLFetcher):
    """Serves WeasyPrint the project's static files (as the finders find them) and refuses any other URL."""

    def fetch(self, url, headers=None):
        prefix = static_url("")
        if not url.startswith(prefix):
            raise ValueError(f"Documents fetch only static files, not {url[:100]}")
        name = url[len(prefix) :].split("?", 1)[0].split("#", 1)[0]
        path = finders.find(name) if name and ".." not in name.split("/") else None
        if not path:
            raise ValueError(f"No static file {name[:100]}")
        with open(path, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


@functools.lru_cache(maxsize=4)
def _parsed_stylesheet(name: str, modified: float) -> CSS:
    return CSS(url=static_url(name), url_fetcher=StaticFilesFetcher())


def stylesheet() -> CSS:
    """The print stylesheet, parsed once (parsing it costs about as much as laying out a page)."""
    path = finders.find(STYLESHEET)
    return _parsed_stylesheet(STYLESHEET, os.path.getmtime(path))


@functools.cache
def _user_agent_stylesheet() -> CSS:
    """WeasyPrint's own HTML stylesheet without its rules for pseudo-elements of every element (::marker, which
    only list items have here, and footnotes' and notes' calls and markers, which documents never use): each such
    rule gives every element of the document pseudo-elements whose styles are computed, five times the cascade's
    work on a programme of thousands of rows."""
    source = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text(encoding="utf-8")
    source = source.replace("\n::marker {", "\nli::marker {")
    source = re.sub(r"^::(footnote|note)-[^\n]*\n", "", source, flags=re.MULTILINE)
    return CSS(string=source)


class DocumentHTML(HTML):
    """WeasyPrint's HTML with the lighter user-agent stylesheet (the hook is WeasyPrint's, pinned in requirements)."""

    def _ua_stylesheets(self, forms=False):
        return [_user_agent_stylesheet()]


def render_document(template_name: str, context: Mapping[str, Any]) -> Document:
    """The template rendered in the active language and laid out on pages (write_pdf() gives the bytes)."""
    html = render_to_string(template_name, context)
    document = DocumentHTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
    return document.render(stylesheets=[stylesheet()])


def render_pdf(template_name: str, context: Mapping[str, Any]) -> bytes:
    """The template rendered in the active language, as PDF bytes."""
    return render_document(template_name, context).write_pdf()


def html_document(html: str) -> Document:
    """Already rendered HTML laid out on pages (what a worker process is given: no database, no template)."""
    return DocumentHTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher()).render(
        stylesheets=[stylesheet()]
    )


def split_pdf(content: bytes, starts: list[int]) -> list[bytes]:
    """One PDF of `content` for each run of pages from each of `starts` (page numbers, ascending) to the next,
    the last to the end, each with the whole document's metadata. The pieces share the fonts' subsets as
    embedded for the whole: a little larger each, but the fonts are subset once."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    metadata = {key: value for key, value in (reader.metadata or {}).items() if isinstance(value, str)}
    bounds = [*starts, len(reader.pages)]
    pieces = []
    for first, end in itertools.pairwise(bounds):
        writer = pypdf.PdfWriter()
        for page in reader.pages[first:end]:
            writer.add_page(page)
        writer.add_metadata(metadata)
        out = io.BytesIO()
        writer.write(out)
        pieces.append(out.getvalue())
    return pieces


def split_by_anchor(html: str, prefix: str, keys: list[int]) -> list[bytes]:
    """HTML holding one piece per key, each starting on a new page at the element with id `prefix<key>`, laid
    out and written as one document, then cut into one PDF per key (in the order of keys)."""
    document = html_document(html)
    starts: dict[int, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith(prefix):
                starts.setdefault(int(anchor.removeprefix(prefix)), number)
    return split_pdf(document.write_pdf(), [starts[key] for key in keys])


def worker_count(tasks: int) -> int:
    """How many processes to share `tasks` pieces of work: one per core; one alone for a single piece, inside a
    daemonic process (which may not have children), or in a process running other threads (a threaded
    development server: a fork copies only the calling thread, and a lock another thread held stays held)."""
    if tasks < 2 or multiprocessing.current_process().daemon or threading.active_count() > 1:
        return 1
    return max(1, min(tasks, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()))


def in_workers(function: Callable, arguments: Iterable[tuple]) -> Iterator:
    """function(*each arguments), in order, computed in forked worker processes when worker_count allows (else
    here, one at a time as the caller iterates). `function` must touch neither the database nor the active
    language: a child shares the parent's connections, so it is given HTML already rendered and gives back
    bytes. The stylesheet is parsed before forking, once for every child."""
    arguments = list(arguments)
    workers = worker_count(len(arguments))
    if workers == 1:
        for each in arguments:
            yield function(*each)
        return
    stylesheet()
    _user_agent_stylesheet()
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    try:
        futures = [executor.submit(function, *each) for each in arguments]
        for future in futures:
            yield future.result()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
