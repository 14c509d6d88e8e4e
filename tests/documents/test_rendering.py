"""WeasyPrint reads our static files through the staticfiles finders and nothing else."""

import pytest

from documents.rendering import StaticFilesFetcher, static_url


def test_fetcher_serves_the_print_stylesheet_from_the_finders():
    response = StaticFilesFetcher().fetch(static_url("documents/print.css"))
    assert response.content_type == "text/css"
    assert b"size: A4;" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/static/documents/print.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        static_url("../config/settings.py"),
        static_url("documents/missing.css"),
    ],
)
def test_fetcher_refuses_anything_else(url):
    with pytest.raises(ValueError):
        StaticFilesFetcher().fetch(url)
