"""The admin pages of the visit workbook: download a visit or the blank template; upload, preview, confirm.

The upload waits between preview and confirmation in the cache every app server shares, for an hour,
under a random key that reaches the browser only signed (django.core.signing): nobody confirms a file
they did not upload, and a tampered or expired token gets a clear message.
"""

import secrets

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.admin_identity import ImportIdentityForm, import_choices
from delegations.models import Delegation

from .loading import workbook_apply
from .reading import MAX_BYTES, WorkbookRefused, read_upload
from .sheets import EXAMPLE, IMPORTED_SHEETS, SHEETS, visit_rows, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_SECONDS = 3600
_SALT = "workbooks.upload"


def _require(request, *actions: str) -> None:
    if not all(request.user.has_perm(f"delegations.{action}_delegation") for action in actions):
        raise PermissionDenied


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def visit_download(request, pk: int):
    _require(request, "view")
    visit = get_object_or_404(Delegation.objects.select_related("organiser", "leading_body"), pk=pk)
    with translation.override("en"):
        return _xlsx(workbook_bytes(visit_rows(visit)), f"{visit.slug}.xlsx")


def template_download(request):
    _require(request, "view")
    return _xlsx(workbook_bytes(EXAMPLE, instructions=True), "visit-workbook-template.xlsx")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation writes it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xlsx,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        return [single(item, initial) for item in data] if isinstance(data, list | tuple) else [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Workbook"),
        help_text=gettext_lazy("One .xlsx workbook, or one .csv file per sheet (visit.csv, people.csv…)."),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if sum(upload.size for upload in files) > MAX_BYTES:
            raise forms.ValidationError(
                _("The upload is larger than %(limit)s MB.") % {"limit": MAX_BYTES // (1024 * 1024)}
            )
        return files


def _context(request, **extra):
    return {
        **admin.site.each_context(request),
        "title": _("Upload a visit workbook"),
        "imported_sheets": IMPORTED_SHEETS,
        "other_sheets": [name for name in SHEETS if name not in IMPORTED_SHEETS],
        **extra,
    }


def _preview(request, files: list[tuple[str, bytes]], form, *, commit: bool):
    """Reads and applies the files (kept only if `commit`, with the identity answers posted); the preview
    page, or the report when kept."""
    try:
        sheets = read_upload(files)
    except WorkbookRefused as refusal:
        form.add_error(None, str(refusal))
        return TemplateResponse(request, "admin/workbooks/upload.html", _context(request, form=form))
    choices = import_choices(request.POST) if commit else None
    report = workbook_apply(sheets=sheets, commit=commit, choices=choices)
    if commit and not report.errors and not report.unanswered:
        return report
    identity_form = ImportIdentityForm(report.questions, data=request.POST if commit else None)
    if commit and report.unanswered and not report.errors:
        identity_form.is_valid()  # its errors name the rows left without an answer
        messages.error(request, _("Nothing was imported: choose, for each row below, the same record or a new one."))
    key = secrets.token_urlsafe(24)
    cache.set(f"{_SALT}:{key}", files, UPLOAD_SECONDS)
    token = signing.dumps(key, salt=_SALT)
    return TemplateResponse(
        request,
        "admin/workbooks/preview.html",
        _context(request, report=report, token=token, identity_form=identity_form, title=_("Preview of the workbook")),
    )


def upload(request):
    _require(request, "add", "change")
    if request.method != "POST":
        return TemplateResponse(request, "admin/workbooks/upload.html", _context(request, form=UploadForm()))
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return TemplateResponse(request, "admin/workbooks/upload.html", _context(request, form=form))
    files = [(upload.name, upload.read()) for upload in form.cleaned_data["files"]]
    return _preview(request, files, form, commit=False)


def confirm(request):
    _require(request, "add", "change")
    if request.method != "POST":
        return redirect("workbooks:upload")
    try:
        key = signing.loads(request.POST.get("token", ""), salt=_SALT, max_age=UPLOAD_SECONDS)
        files = cache.get(f"{_SALT}:{key}")
    except signing.BadSignature:
        files = None
    if files is None:
        messages.error(request, _("This upload has expired or is unknown: upload the workbook again."))
        return redirect("workbooks:upload")
    result = _preview(request, files, UploadForm(), commit=True)
    if isinstance(result, TemplateResponse):
        return result
    cache.delete(f"{_SALT}:{key}")
    counts = result.counts
    messages.success(
        request,
        _("The workbook is imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {
            "created": sum(c["created"] for c in counts.values()),
            "updated": sum(c["updated"] for c in counts.values()),
            "unchanged": sum(c["unchanged"] for c in counts.values()),
        },
    )
    return redirect(reverse("admin:delegations_delegation_change", args=[result.visit.pk]))
