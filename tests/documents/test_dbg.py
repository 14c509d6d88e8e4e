import pytest

pytestmark = pytest.mark.django_db


def test_dump(demo_world):
    for name in ("programme", "agenda", "cards", "badges"):
        with open(f"/tmp/pdfs/p-{name}.pdf", "wb") as file:
            file.write(getattr(demo_world, name))
