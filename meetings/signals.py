from django.db.models.signals import post_save
from django.dispatch import receiver

from delegations.models import ItineraryItem, Venue


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
