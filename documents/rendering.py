"""HTML templates to PDF, with WeasyPrint.

A document is a template under templates/documents/ rendered in the active language, laid out on A4 by the
print stylesheet static/documents/print.css. WeasyPrint reads that stylesheet itself, through Django's
staticfiles finders (parsed once per process, again when the file changes), and fetches nothing else:
neither from the network nor from disk (StaticFilesFetcher). Fonts come from the system's fontconfig
(Debian's Noto: Latin, Cyrillic, CJK) and are embedded, subset to the characters used.
"""

import functools
import mimetypes
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

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
