"""Import and export of the organization and people lists on their admin pages (django-import-export),
with its preview: export needs the view permission, import the add and change permissions."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from import_export.tmp_storages import CacheStorage

# A list of tens of thousands of contacts fits well below this.
LIST_IMPORT_MAX_BYTES = 5 * 1024 * 1024


class ListUploadStorage(CacheStorage):
    """The uploaded file between preview and confirmation, in the cache every app server shares, for an hour,
    under an unguessable name."""

    CACHE_LIFETIME = 3600
    CACHE_PREFIX = "list-import-"


class ListImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > LIST_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest accepted is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(LIST_IMPORT_MAX_BYTES)}
            )
        return upload


class ListImportExportMixin(ImportExportMixin):
    import_form_class = ListImportForm
    formats = (base_formats.CSV, base_formats.XLSX)
    # Excel writes CSV with a byte-order mark; the "-sig" codec reads files with or without one.
    from_encoding = "utf-8-sig"
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
            gettext_lazy(
                "This file cannot be read as the chosen format: save it as CSV (UTF-8) or Excel (.xlsx), "
                "and choose that format."
            ),
        )

    def process_import(self, request, **kwargs):
        name = str(request.POST.get("import_file_name", ""))
        if request.method == "POST" and cache.get(ListUploadStorage.CACHE_PREFIX + name) is None:
            messages.error(request, _("The uploaded file has expired: upload it again."))
            return HttpResponseRedirect(request.path.replace("process_import/", "import/"))
        return super().process_import(request, **kwargs)
