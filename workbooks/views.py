"""The admin pages of the visit workbook: download a visit or the blank template; upload, preview, confirm.

The upload waits between preview and confirmation in the cache every app server shares, for an hour,
under a random key that reaches the browser only signed (django.core.signing): nobody confirms a file
they did not upload, and a tampered or expired token gets a clear message. A large upload is read and
applied by a worker, its progress shown by its batch's page (workbooks.background).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.admin_identity import ImportIdentityForm, import_choices
from core.models import Batch
from delegations.models import Delegation

from .background import background_bytes, report_of, upload_files, upload_forget, upload_store, workbook_queue
from .columns import sheet_label
from .loading import Report, workbook_apply
from .reading import WorkbookRefused, max_bytes, read_upload
from .sheets import EXAMPLE, IMPORTED_SHEETS, SHEETS, visit_rows, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        if sum(upload.size for upload in files) > max_bytes():
            raise forms.ValidationError(
                _("The upload is larger than %(limit)s MB.") % {"limit": max_bytes() // (1024 * 1024)}
            )
        return files


def _context(request, **extra):
    return {
        **admin.site.each_context(request),
        "title": _("Upload a visit workbook"),
        "imported_sheets": [sheet_label(name) for name in IMPORTED_SHEETS],
        "other_sheets": [sheet_label(name) for name in SHEETS if name not in IMPORTED_SHEETS],
        **extra,
    }


def _upload_page(request, form, message: str):
    form.add_error(None, message)
    return TemplateResponse(request, "admin/workbooks/upload.html", _context(request, form=form))


def _preview_page(request, report: Report, token: str):
    """The preview, with its identity questions; after a confirmation refused because some were left
    unanswered (in the request or by a worker), the answers given stay chosen and the others are named."""
    refused = report.confirmed and not report.errors and bool(report.unanswered)
    answers = {f"{ImportIdentityForm.prefix}-{q.key}": q.choice for q in report.questions if q.choice}
    identity_form = ImportIdentityForm(report.questions, data=answers if refused else None)
    if refused:
        identity_form.is_valid()  # its errors name the rows left without an answer
        messages.error(request, _("Nothing was imported: choose, for each row below, the same record or a new one."))
    return TemplateResponse(
        request,
        "admin/workbooks/preview.html",
        _context(request, report=report, token=token, identity_form=identity_form, title=_("Preview of the workbook")),
    )


def _in_background(request, token: str, form, *, commit: bool, choices: dict[str, str] | None):
    """A large upload: a worker reads and applies it (with the identity answers posted); the batch's page
    follows it to the preview (or the visit)."""
    batch = workbook_queue(token=token, commit=commit, user=request.user, choices=choices)
    if batch.status == Batch.Status.FAILED:
        return _upload_page(request, form, batch.error)
    if batch.status == Batch.Status.DONE:  # done in the request: no broker
        return redirect(batch.result_url)
    return redirect(reverse("admin:core_batch_change", args=[batch.pk]) + "?follow=1")


def _preview(request, files: list[tuple[str, bytes]], form, *, commit: bool, token: str = ""):
    """Reads and applies the files (kept only if `commit`, with the identity answers posted); the preview page,
    or the report when kept; a large upload is handed to a worker, and the answer is the page that follows it."""
    token = token or upload_store(files)
    choices = import_choices(request.POST) if commit else None
    if sum(len(data) for _name, data in files) > background_bytes():
        return _in_background(request, token, form, commit=commit, choices=choices)
    try:
        sheets = read_upload(files)
    except WorkbookRefused as refusal:
        return _upload_page(request, form, str(refusal))
    report = workbook_apply(sheets=sheets, commit=commit, choices=choices)
    if commit and not report.errors and not report.unanswered:
        upload_forget(token)
        return report
    return _preview_page(request, report, token)


def upload(request):
    _require(request, "add", "change")
    if request.method != "POST":
        return TemplateResponse(request, "admin/workbooks/upload.html", _context(request, form=UploadForm()))
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return TemplateResponse(request, "admin/workbooks/upload.html", _context(request, form=form))
    files = [(upload.name, upload.read()) for upload in form.cleaned_data["files"]]
    return _preview(request, files, form, commit=False)


def preview(request):
    """The preview a worker computed (workbooks.background), shown as the one computed in the request."""
    _require(request, "add", "change")
    token = request.GET.get("token", "")
    report = report_of(token)
    if report is None:
        messages.error(request, _("This upload has expired or is unknown: upload the workbook again."))
        return redirect("workbooks:upload")
    return _preview_page(request, report, token)


def confirm(request):
    _require(request, "add", "change")
    if request.method != "POST":
        return redirect("workbooks:upload")
    token = request.POST.get("token", "")
    files = upload_files(token)
    if files is None:
        messages.error(request, _("This upload has expired or is unknown: upload the workbook again."))
        return redirect("workbooks:upload")
    result = _preview(request, files, UploadForm(), commit=True, token=token)
    if not isinstance(result, Report):
        return result
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
