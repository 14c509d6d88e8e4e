"""The visit's change page gains a "Download as workbook" button, the list of visits an "Upload a workbook"
one: their templates are this app's, so that the delegations app names no URL of a layer above it. The change
page's extends the documents app's (its PDF buttons): that admin, registered again by documents, is the one
changed here, so documents comes first in INSTALLED_APPS."""

from django.contrib import admin

from delegations.models import Delegation

delegation_admin = admin.site.get_model_admin(Delegation)
delegation_admin.change_form_template = "admin/workbooks/delegation_change_form.html"
delegation_admin.change_list_template = "admin/workbooks/delegation_change_list.html"
