"""The layout holds (docs/architecture.md): templates, URL names and module sizes follow the layers that
import-linter enforces for Python imports (pyproject.toml)."""

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.template.backends.django import get_installed_libraries

ROOT = Path(__file__).resolve().parent.parent
# Lowest first; each may use what is below it. The site's layout (base.html, includes/) is the public site's.
LAYERS = ("core", "contacts", "delegations", "meetings", "matchmaking", "documents", "workbooks", "mailings", "public")
DOMAIN_APPS = ("contacts", "delegations", "meetings", "matchmaking", "documents", "workbooks", "mailings")
# Templates of a domain app that wear the site's layout (base.html, which is the public site's): the pages
# an invited company reaches through its link.
SITE_LAYOUT_TEMPLATES = {("matchmaking", "base.html")}
DOMAIN_MODULE_MAX_LINES = 450
# Admin pages that show staff a public address, as Django's "View on site" does: a name, not an import.
PUBLIC_NAMES_IN_ADMIN = {("delegations/admin_sharing.py", "public:shared-visit-detail")}

TAG = re.compile(r"{%\s*(url|load|include|extends)\s+([^%]*?)\s*%}")
QUOTED = re.compile(r"""^["']([^"']+)["']""")


def rank(layer: str) -> int:
    return LAYERS.index(layer)


def template_layer(name: str) -> str | None:
    """The layer a template belongs to, by its name under templates/; None for one the project does not have."""
    if not (ROOT / "templates" / name).exists():
        return "core"  # Django's, or a library's: below everything of ours
    if name.startswith("public/") or name == "base.html" or name.startswith("includes/"):
        return "public"
    parts = name.split("/")
    if parts[0] in DOMAIN_APPS:
        return parts[0]
    if parts[0] == "admin" and len(parts) > 2 and parts[1] in DOMAIN_APPS:
        return parts[1]
    return "core"  # the admin's and simple-history's own pages, restyled


def url_layer(name: str) -> str:
    namespace, _, rest = name.partition(":")
    if namespace in LAYERS:
        return namespace
    if namespace == "admin":
        app = rest.split("_", 1)[0]
        return app if app in DOMAIN_APPS else "core"
    return "core"  # set_language, healthz


def library_layer(library: str) -> str:
    module = get_installed_libraries()[library]
    package = module.split(".", 1)[0]
    return package if package in LAYERS else "core"


def template_references(text: str):
    """(kind, what) for each url, load, include and extends tag whose target is a literal."""
    for kind, argument in TAG.findall(text):
        if kind == "load":
            words = argument.split()
            libraries = words[words.index("from") + 1 :] if "from" in words else words
            yield from (("load", library) for library in libraries)
        elif match := QUOTED.match(argument):
            yield kind, match.group(1)


def project_templates():
    return sorted(path.relative_to(ROOT / "templates").as_posix() for path in (ROOT / "templates").rglob("*.html"))


def wrong_way_references(name: str, text: str) -> list[str]:
    layer = template_layer(name)
    wrong = []
    for kind, target in template_references(text):
        target_layer = {
            "url": url_layer,
            "load": library_layer,
            "include": template_layer,
            "extends": template_layer,
        }[kind](target)
        if rank(target_layer) > rank(layer) and (layer, target) not in SITE_LAYOUT_TEMPLATES:
            wrong.append(f"{name} ({layer}) {kind} {target} ({target_layer})")
    return wrong


def test_templates_reference_only_their_layer_and_below():
    wrong = [
        reference
        for name in project_templates()
        for reference in wrong_way_references(name, (ROOT / "templates" / name).read_text())
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("template", "text", "expected"),
    [
        ("admin/meetings/meeting/change_form.html", "{% url 'public:home' %}", "url public:home (public)"),
        ("admin/delegations/x.html", "{% url 'admin:meetings_meeting_changelist' %}", "url admin:meetings"),
        ("admin/meetings/meeting/change_form.html", "{% load meeting_tags %}", "load meeting_tags (public)"),
        ("admin/meetings/meeting/change_form.html", '{% include "public/_person_name.html" %}', "include public/"),
        ("admin/meetings/meeting/change_form.html", '{% extends "base.html" %}', "extends base.html (public)"),
    ],
)
def test_layer_check_finds_a_wrong_way_reference(template, text, expected):
    (found,) = wrong_way_references(template, text)
    assert expected in found


def string_constants(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def domain_modules():
    for app in DOMAIN_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_domain_code_names_no_url_of_a_layer_above():
    """reverse() takes names, which import-linter cannot see: a domain app names no public page (but for
    admin links that show staff a public address) and no admin page of an app above it."""
    wrong = []
    for path in domain_modules():
        relative = path.relative_to(ROOT).as_posix()
        layer = path.relative_to(ROOT).parts[0]
        for text in string_constants(path):
            for name in re.findall(r"public:[\w-]+", text):
                if (relative, name) not in PUBLIC_NAMES_IN_ADMIN:
                    wrong.append(f"{relative}: {name}")
            for app in re.findall(r":(contacts|delegations|meetings|matchmaking|mailings)_[a-z]+_", text):
                if rank(app) > rank(layer):
                    wrong.append(f"{relative}: admin page of {app}")
    assert wrong == []


def test_domain_modules_stay_small():
    sizes = {path.relative_to(ROOT).as_posix(): len(path.read_text().splitlines()) for path in domain_modules()}
    assert {name: lines for name, lines in sizes.items() if lines > DOMAIN_MODULE_MAX_LINES} == {}


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    command = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([command, "--no-cache"], cwd=tree, capture_output=True, text=True, check=False)


def copy_sources(destination: Path) -> None:
    shutil.copy(ROOT / "pyproject.toml", destination)
    for package in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]:
        shutil.copytree(ROOT / package, destination / package, ignore=shutil.ignore_patterns("*.json", "__pycache__"))


def test_import_contracts_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "expected"),
    [
        ("meetings/wrong_way.py", "import public.views\n", "meetings is not allowed to import public"),
        ("delegations/wrong_way.py", "from meetings.models import Meeting\n", "delegations is not allowed to import"),
        ("core/wrong_way.py", "from contacts.models import Person\n", "core is not allowed to import contacts"),
        ("public/wrong_way.py", "import sampledata.demo\n", "public is not allowed to import sampledata"),
    ],
)
def test_import_contracts_refuse_a_wrong_way_import(tmp_path, module, line, expected):
    copy_sources(tmp_path)
    (tmp_path / module).write_text(line)
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    assert expected in result.stdout
