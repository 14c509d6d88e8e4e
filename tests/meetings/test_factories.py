import datetime

from tests.factories import MeetingFactory


def test_meeting_factory_stores_instant(db):
    meeting = MeetingFactory(start_time=datetime.time(10, 0))
    assert meeting.starts_at == datetime.datetime(2018, 11, 26, 9, 0, tzinfo=datetime.UTC)
