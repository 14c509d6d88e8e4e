"""The visit's change page gains a "Download as workbook" button: its template is this app's, so that the
delegations app names no URL of a layer above it."""

from django.contrib import admin

from delegations.models import Delegation

admin.site.get_model_admin(Delegation).change_form_template = "admin/workbooks/delegation_change_form.html"
