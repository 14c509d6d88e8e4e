"""Import and export of the organization and people lists on their admin pages (django-import-export),
with its preview: export needs the view permission, import the add and change permissions.

A row that may be an existing record under another spelling asks staff, on the preview, "same as …" or
"new" (contacts.lookup); the answers are posted with the confirmation, which re-reads the stored file, so
they stay tied to its rows. A confirmation with a question unanswered, or with an error that appeared
since the preview, writes nothing and shows the preview again: the import is all or nothing."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from import_export.tmp_storages import CacheStorage

from .admin_identity import ImportIdentityForm, import_choices
from .list_files import ListCSV, ListFileRefused, ListXLSX, columns_problem

# A list of tens of thousands of contacts fits well below this.
LIST_IMPORT_MAX_BYTES = 5 * 1024 * 1024


class ListUploadStorage(CacheStorage):
    """The uploaded file between preview and confirmation, in the cache every app server shares, for an hour,
    under an unguessable name."""

    CACHE_LIFETIME = 3600
    CACHE_PREFIX = "list-import-"


class ListImportForm(ImportForm):
    """The upload, refused before any row is read when too large, not of the chosen format, or with
    columns the list does not have."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.list_formats, self.list_resources = formats, resources

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > LIST_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest accepted is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(LIST_IMPORT_MAX_BYTES)}
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, chosen = cleaned.get("import_file"), cleaned.get("format")
        if upload is None or chosen in (None, ""):
            return cleaned
        resource = self.list_resources[int(cleaned.get("resource") or 0)]()
        upload.seek(0)
        try:
            dataset = self.list_formats[int(chosen)]().create_dataset(upload.read())
        except ListFileRefused as refusal:
            self.add_error("import_file", str(refusal))
            return cleaned
        finally:
            upload.seek(0)
        if problem := columns_problem(dataset, resource):
            self.add_error("import_file", problem)
        return cleaned


class _Refused(Exception):
    def __init__(self, result):
        self.result = result


class ListImportExportMixin(ImportExportMixin):
    import_form_class = ListImportForm
    formats = (base_formats.CSV, base_formats.XLSX)  # exported
    import_formats = (ListCSV, ListXLSX)  # any encoding and separator; formulas read as text
    import_error_display = ("message", "row")
    skip_admin_log = True  # the records' history says who changed what
    tmp_storage_class = ListUploadStorage

    def _has(self, request, *actions: str) -> bool:
        opts = self.opts
        return all(request.user.has_perm(f"{opts.app_label}.{get_permission_codename(a, opts)}") for a in actions)

    def has_import_permission(self, request):
        return self._has(request, "add", "change")

    def has_export_permission(self, request):
        return self._has(request, "view") or self._has(request, "change")

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error(
            "import_file",
            str(e)
            if isinstance(e, ListFileRefused)
            else gettext_lazy(
                "This file cannot be read as the chosen format: save it as CSV (UTF-8) or Excel (.xlsx), "
                "and choose that format."
            ),
        )

    def get_import_resource_kwargs(self, request, **kwargs):
        """Staff's answers to the identity questions, from the confirmation (none on the preview)."""
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        if request.method == "POST" and "import_file_name" in request.POST:
            resource_kwargs["identity_choices"] = import_choices(request.POST)
        return resource_kwargs

    def import_action(self, request, **kwargs):
        """The preview, with a question for each row that may be a known record under another spelling."""
        response = super().import_action(request, **kwargs)
        result = getattr(response, "context_data", {}).get("result")
        questions = getattr(result, "identity_questions", [])
        if questions and response.context_data.get("confirm_form") is not None:
            response.context_data["identity_form"] = ImportIdentityForm(questions)
        return response

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """The confirmation: the stored file imported again with staff's answers, in one transaction kept
        only when every question is answered and no row has an error; else the preview again."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        name = str(request.POST.get("import_file_name", ""))
        if cache.get(ListUploadStorage.CACHE_PREFIX + name) is None:
            messages.error(request, _("The uploaded file has expired: upload it again."))
            return HttpResponseRedirect(request.path.replace("process_import/", "import/"))
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return super().process_import(request, **kwargs)
        input_format = self.get_import_formats()[int(confirm_form.cleaned_data["format"])]()
        tmp_storage = self.get_tmp_storage_class()(
            name=confirm_form.cleaned_data["import_file_name"], encoding=None, read_mode=input_format.get_read_mode()
        )
        dataset = input_format.create_dataset(tmp_storage.read())
        try:
            with transaction.atomic():
                result = self.process_dataset(dataset, confirm_form, request, **kwargs)
                unanswered = [q for q in getattr(result, "identity_questions", []) if not q.answered]
                if unanswered or result.has_errors() or result.has_validation_errors():
                    raise _Refused(result)
        except _Refused as refused:
            return self._refused(request, refused.result, confirm_form)
        tmp_storage.remove()
        return self.process_result(result, request)

    def _refused(self, request, result, confirm_form):
        """The preview again, after a confirmation that wrote nothing."""
        questions = getattr(result, "identity_questions", [])
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": self.model._meta,
            "result": result,
            "import_error_display": self.import_error_display,
        }
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, _("Nothing was imported: the file has errors now (below)."))
            form = self.get_import_form_class(request)(
                self.get_import_formats(), self.get_import_resource_classes(request)
            )
            context |= {"form": form, "media": self.media + form.media}
        else:
            messages.error(
                request,
                _("Nothing was imported: choose, for each row below, the same record or a new one."),
            )
            identity_form = ImportIdentityForm(questions, data=request.POST)
            identity_form.is_valid()  # its errors name the rows left without an answer
            context |= {"confirm_form": confirm_form, "identity_form": identity_form, "media": self.media}
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)
