"""The page an invited company reaches through its link: its agenda once published, and its registration,
new or to change until the agenda is final; and its agenda as an iCalendar file."""

import functools

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import View

from .agendas import agenda_calendar, company_agenda
from .forms import AttendeeFormSet, RegistrationForm, WishFormSet, registration_data, registration_initial
from .models import Invitation, Registration
from .services import FINAL_MESSAGE, registration_locked, registration_save


def invitation_required(view):
    """Serves `view` for the active invitation whose token is in the address, as share links are served:
    a malformed, unknown, revoked or expired token is a 404; the page stays out of search engines, caches
    and other sites' Referer headers."""

    @functools.wraps(view)
    def wrapped(request, token: str, **kwargs):
        invitation = get_object_or_404(Invitation.objects.active().for_token(token).select_related("delegation"))
        response = view(request, invitation=invitation, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        # Never sent to another site; sent to this one, where a browser told "no-referrer" posts the form
        # with "Origin: null", which Django's CSRF check refuses (403): the form could not be sent.
        response["Referrer-Policy"] = "same-origin"
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


def post_allowed(invitation: Invitation) -> bool:
    """Counts a POST to this link; False once the link has sent more than its share in the hour."""
    key = f"matchmaking:posts:{invitation.pk}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= settings.MATCHMAKING_POSTS_PER_HOUR


class RegistrationView(View):
    template_name = "matchmaking/registration_form.html"

    def forms(self, invitation: Invitation, registration: Registration | None, data=None):
        initial = registration_initial(registration) if registration else ({}, [], [])
        return (
            # A disabled field (the organization, once registered) takes its initial value, posted or not.
            RegistrationForm(data, invitation=invitation, registration=registration, initial=initial[0]),
            # Posted rows are checked as posted: a row left as it was shown is still a row.
            AttendeeFormSet(data, prefix="attendees", initial=None if data else initial[1]),
            WishFormSet(data, prefix="wishes", invitation=invitation, initial=None if data else initial[2]),
        )

    def render(self, request, invitation, registration, forms, status=200):
        form, attendees, wishes = forms
        agenda = company_agenda(invitation, registration)
        context = {
            "invitation": invitation,
            "delegation": invitation.delegation,
            "registration": registration,
            "agenda": agenda,
            "locked": any(entry.is_final for entry in agenda),
            "locked_message": FINAL_MESSAGE,
            "form": form,
            "attendees": attendees,
            "wishes": wishes,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, invitation):
        registration = Registration.objects.filter(invitation=invitation).select_related("organization").first()
        return self.render(request, invitation, registration, self.forms(invitation, registration))

    def post(self, request, invitation):
        registration = Registration.objects.filter(invitation=invitation).select_related("organization").first()
        if not post_allowed(invitation):
            context = {"delegation": invitation.delegation}
            return render(request, "matchmaking/too_many_requests.html", context, status=429)
        if registration_locked(invitation):
            forms = self.forms(invitation, registration)
            return self.render(request, invitation, registration, forms, status=403)
        forms = self.forms(invitation, registration, request.POST)
        form, attendees, wishes = forms
        if all(f.is_valid() for f in forms):
            try:
                registration_save(invitation=invitation, data=registration_data(form, attendees, wishes, registration))
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Your registration is saved. You can change it through the same link."))
                return redirect(request.path)
        return self.render(request, invitation, registration, forms, status=400)


registration_view = invitation_required(RegistrationView.as_view())


@invitation_required
def agenda_ics(request, invitation):
    """The company's agenda as an iCalendar file to import: the same meetings as its page shows."""
    registration = Registration.objects.filter(invitation=invitation).select_related("organization").first()
    calendar = agenda_calendar(invitation, registration)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="agenda.ics"'
    return response
