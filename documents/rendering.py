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

A long document (the programme of a large visit) goes the other way: cut where its template marks that a new page
starts (PART_BREAK), its parts are laid out in worker processes and joined with pypdf (paged_pdf). The margin
boxes, where "n / N" stands, are left out of the parts and laid out for the whole, on pages otherwise empty that
are stamped over the parts' pages: in the parent, while the workers draw and write their parts (each tells the
parent its pages as soon as they are laid out); the outline (the PDF's bookmarks) is built for the whole as
WeasyPrint builds it.
"""

import functools
import gc
import io
import itertools
import mimetypes
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pypdf
import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, Fit, NameObject, TextStringObject
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


# Written by a template where a new page starts (before an element that breaks before it, or the document's
# first): paged_pdf may lay the document out in parts cut there.
PART_BREAK = "<!-- part -->"

MARGIN_BOXES = (
    "top-left-corner",
    "top-left",
    "top-center",
    "top-right",
    "top-right-corner",
    "bottom-left-corner",
    "bottom-left",
    "bottom-center",
    "bottom-right",
    "bottom-right-corner",
    "left-top",
    "left-middle",
    "left-bottom",
    "right-top",
    "right-middle",
    "right-bottom",
)


@functools.cache
def _part_stylesheet(first: bool, last: bool) -> CSS:
    """No margin boxes (laid out for the whole afterwards); the body's top margin on the first part's first page
    only and its bottom margin on the last part's last page only, as the whole document has them."""
    rules = [f"@page {{ {' '.join(f'@{box} {{ content: none !important; }}' for box in MARGIN_BOXES)} }}"]
    rules += [] if first else ["body { margin-top: 0 !important; }"]
    rules += [] if last else ["body { margin-bottom: 0 !important; }"]
    return CSS(string="\n".join(rules))


@dataclass(frozen=True)
class PagedPart:
    """A part of a document as a worker gives it back: the PDF of its pages without their margin boxes, and for
    each page its name (the CSS `page` it was laid out on), height and bookmarks (WeasyPrint's Page.bookmarks)."""

    content: bytes
    pages: list[tuple[str, float, list]]


def part_pdf(html: str, first: bool, last: bool, number: int | None = None) -> PagedPart:
    """A part laid out without its margin boxes, and written. In a worker of paged_pdf (`number` given), the
    names of its pages are told to the parent as soon as they are laid out, before they are drawn and written:
    the parent lays the margin pages out meanwhile."""
    document = DocumentHTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher()).render(
        stylesheets=[stylesheet(), _part_stylesheet(first, last)]
    )
    pages = [(page._page_box.page_type.name, page.height, page.bookmarks) for page in document.pages]
    if number is not None and _pages_told is not None:
        channel, lock = _pages_told
        with lock:
            channel.send((number, [name for name, _height, _bookmarks in pages]))
    for page in document.pages:
        page.bookmarks = []  # the outline is made for the whole
    return PagedPart(document.write_pdf(), pages)


# In a worker process of paged_pdf: where to tell the parent the names of a part's pages (a pipe's end and the lock
# that keeps the workers' messages whole), set when the process starts.
_pages_told = None

# The garbage collector's thresholds in such a worker (Python's are 700, 10, 10). Laying a part out makes millions of
# objects, few of them in cycles: with Python's thresholds the collector ran hundreds of times a part, a large share
# of the worker's time (docs/benchmarks.md).
PART_WORKER_GC_THRESHOLDS = (10_000, 50, 100)


def _start_part_worker(channel, lock) -> None:
    """A worker of paged_pdf starting: where it tells its pages, and its collector set for one large layout; the
    objects it inherits from the parent (Django, the HTML) are frozen, never again walked by the collector."""
    global _pages_told
    _pages_told = (channel, lock)
    gc.freeze()
    gc.set_threshold(*PART_WORKER_GC_THRESHOLDS)


def html_parts(html: str, count: int) -> list[str]:
    """The document cut at its PART_BREAKs into at most `count` documents of about the same length, each with the
    whole's <head> (its title and language)."""
    pieces = html.split(PART_BREAK)
    body = re.search(r"<body[^>]*>", pieces[0])
    head = pieces[0][: body.end()] if body else ""
    total = sum(map(len, pieces))
    parts, current, done = [], [], 0
    for piece in pieces:
        if current and done >= total * len([*parts, current]) / count:
            parts.append(current)
            current = []
        current.append(piece)
        done += len(piece)
    parts.append(current)
    return ["".join(part) if number == 0 else head + "".join(part) for number, part in enumerate(parts)]


def margin_boxes_pdf(html: str, names: list[str]) -> tuple[bytes, list[bool]]:
    """Pages as `html` would have been laid out on (one a name), with nothing but their margin boxes (the numbers
    "n / N" of the whole document), and whether each has any."""
    head = html[: re.search(r"<body[^>]*>", html).end()] if "<body" in html else ""
    pages = "".join(f'<div style="page: {name or "auto"}; break-before: page"></div>' for name in names)
    document = html_document(head + pages + "</body></html>")
    return document.write_pdf(), [len(page._page_box.children) > 1 for page in document.pages]


def paged_pdf(html: str, *, parts: int = 0) -> bytes:
    """The rendered template `html` as PDF bytes: the pages render_pdf would give, laid out in `parts` parts cut at
    its PART_BREAKs (by default one a worker process, none when there is a single one) and joined."""
    parts = parts or worker_count(html.count(PART_BREAK) + 1)
    if parts == 1:
        return html_document(html).write_pdf()
    cut = html_parts(html, parts)
    arguments = [(part, number == 0, number == len(cut) - 1) for number, part in enumerate(cut)]
    if worker_count(len(cut)) == 1:
        pieces = [part_pdf(*each) for each in arguments]
        margins = margin_boxes_pdf(html, [name for piece in pieces for name, _height, _bookmarks in piece.pages])
    else:
        pieces, margins = _parts_in_workers(html, arguments)
    return joined_pdf(pieces, *margins)


def _parts_in_workers(html: str, arguments: list[tuple]) -> tuple[list[PagedPart], tuple[bytes, list[bool]]]:
    """The parts laid out in forked worker processes (as in_workers), and meanwhile here the margin pages of the
    whole: each worker tells the names of its part's pages once they are laid out, and goes on drawing and writing
    them while this process lays the margin pages out."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    stylesheet()
    _user_agent_stylesheet()
    executor = ProcessPoolExecutor(
        max_workers=worker_count(len(arguments)),
        mp_context=context,
        initializer=_start_part_worker,
        initargs=(sender, context.Lock()),
    )
    try:
        futures = [executor.submit(part_pdf, *each, number) for number, each in enumerate(arguments)]
        names: dict[int, list[str]] = {}
        while len(names) < len(futures):
            if receiver.poll(0.02):
                number, part_names = receiver.recv()
                names[number] = part_names
            else:
                for future in futures:
                    if future.done():
                        future.result()  # a worker's error, raised here rather than waited for
        margins = margin_boxes_pdf(html, [name for number in sorted(names) for name in names[number]])
        pieces = [future.result() for future in futures]
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        receiver.close()
        sender.close()
    return pieces, margins


def joined_pdf(pieces: list[PagedPart], margins: bytes, drawn: list[bool]) -> bytes:
    """The parts' pages one after the other, each with the same page of `margins` drawn over it where `drawn` says
    it has anything, the first part's metadata and language, and the outline of the whole as WeasyPrint makes it."""
    writer = pypdf.PdfWriter()
    readers = [pypdf.PdfReader(io.BytesIO(piece.content)) for piece in pieces]
    for reader in readers:
        for page in reader.pages:
            writer.add_page(page)
    # Each page's own content, its graphics state saved and restored, then its margins as a form drawn over it.
    save, restore = DecodedStreamObject(), DecodedStreamObject()
    save.set_data(b"q\n")
    restore.set_data(b"\nQ\n/PageMargins Do\n")
    save, restore = writer._add_object(save), writer._add_object(restore)
    margin_resources = {}
    for page, margin, has_boxes in zip(writer.pages, pypdf.PdfReader(io.BytesIO(margins)).pages, drawn, strict=True):
        if not has_boxes:
            continue
        resources = margin.get_object().raw_get("/Resources")
        if resources.idnum not in margin_resources:
            margin_resources[resources.idnum] = writer._add_object(resources.get_object().clone(writer))
        form = DecodedStreamObject()
        form.set_data(margin.get_contents().get_data())
        form[NameObject("/Type")] = NameObject("/XObject")
        form[NameObject("/Subtype")] = NameObject("/Form")
        form[NameObject("/BBox")] = margin.mediabox
        form[NameObject("/Resources")] = margin_resources[resources.idnum]
        page_resources = DictionaryObject(page["/Resources"].get_object())
        xobjects = DictionaryObject(page_resources.get("/XObject", DictionaryObject()).get_object())
        xobjects[NameObject("/PageMargins")] = writer._add_object(form)
        page_resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = page_resources
        contents = page.raw_get("/Contents")
        contents = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *contents, restore])
    first = readers[0]
    writer.add_metadata({key: value for key, value in (first.metadata or {}).items() if isinstance(value, str)})
    if "/Lang" in first.root_object:
        writer.root_object[NameObject("/Lang")] = TextStringObject(first.root_object["/Lang"])
    pages = [
        SimpleNamespace(height=height, bookmarks=marks) for piece in pieces for _name, height, marks in piece.pages
    ]
    # WeasyPrint's own tree of the pages' bookmarks, at write_pdf's scale (CSS px to PDF points) and origin.
    _add_outline(writer, Document.make_bookmark_tree(SimpleNamespace(pages=pages), scale=0.75, transform_pages=True))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _add_outline(writer: pypdf.PdfWriter, bookmarks: list, parent=None) -> None:
    for title, (page, x, y), children, state in bookmarks:
        # Rounded as WeasyPrint (pydyf) writes numbers.
        fit = Fit.xyz(round(x, 6), round(y, 6), 0)
        item = writer.add_outline_item(title=title, page_number=page, parent=parent, fit=fit, is_open=state != "closed")
        _add_outline(writer, children, item)
