from django.db.models.signals import post_save
from django.dispatch import receiver

from delegations.models import Venue, local_instant


@receiver(post_save, sender=Venue, dispatch_uid="meetings_follow_venue")
def meetings_follow_venue(sender, instance: Venue, created: bool, raw: bool = False, **kwargs):
    """Meetings hold instants computed from their venue's zone: follow a corrected zone."""
    if created or raw:
        return
    for meeting in instance.meetings.all():
        if meeting.starts_at != local_instant(meeting.date, meeting.start_time, instance.time_zone):
            meeting.venue = instance
            meeting.save(update_fields=["starts_at", "ends_at"])
