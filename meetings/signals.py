from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from delegations.models import ItineraryItem, Venue

from .models import Meeting, MeetingParticipant
from .services import meeting_bookings_are_deferred, meeting_sync_bookings


@receiver(post_save, sender=Venue, dispatch_uid="meetings_follow_venue")
def meetings_follow_venue(sender, instance: Venue, created: bool, raw: bool = False, **kwargs):
    """Meetings copy their venue's city and zone and hold instants computed from them: follow a corrected venue."""
    if created or raw:
        return
    for meeting in instance.meetings.exclude(city=instance.city, time_zone=instance.time_zone):
        meeting.venue = instance
        meeting.save()


@receiver(post_save, sender=ItineraryItem, dispatch_uid="meetings_follow_session")
def meetings_follow_session(sender, instance: ItineraryItem, created: bool, raw: bool = False, **kwargs):
    """Meetings without a venue of their own take the session's city and zone: follow a moved session."""
    if created or raw:
        return
    moved = instance.meetings.filter(venue=None).exclude(city=instance.city, time_zone=instance.time_zone)
    for meeting in moved:
        meeting.session = instance
        meeting.save()


@receiver(post_save, sender=Meeting, dispatch_uid="meetings_book_meeting")
def meeting_books_its_slot(sender, instance: Meeting, raw: bool = False, **kwargs):
    """A saved meeting holds its organizations, people and table over its slot (see meetings.services)."""
    if raw or meeting_bookings_are_deferred():
        return
    meeting_sync_bookings(meeting=instance)


@receiver(post_save, sender=MeetingParticipant, dispatch_uid="meetings_book_participant")
def participant_books_meeting_slot(sender, instance: MeetingParticipant, raw: bool = False, **kwargs):
    if raw or meeting_bookings_are_deferred():
        return
    meeting_sync_bookings(meeting=instance.meeting)


@receiver(post_delete, sender=MeetingParticipant, dispatch_uid="meetings_free_participant")
def participant_frees_meeting_slot(sender, instance: MeetingParticipant, origin=None, **kwargs):
    # A meeting being deleted takes its participants and bookings with it: rebooking it here would
    # leave bookings pointing at a deleted meeting. Only deletions of participants themselves count.
    from_participants = isinstance(origin, MeetingParticipant) or (
        isinstance(origin, QuerySet) and origin.model is MeetingParticipant
    )
    if not from_participants or meeting_bookings_are_deferred():
        return
    meeting_sync_bookings(meeting=instance.meeting)
