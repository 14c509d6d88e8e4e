"""The visit's own sheets read into the database: the visit, its venues, members, itinerary, agreements and
their parties, follow-ups and meetings, each row saved through the domain's services (workbooks.loading's
loader holds the rows, the counts and the errors; this is the part of it that knows the visit).

Rows of the visit name each other by the id written in their row (a meeting's session, an agreement's
signing item, a party's agreement, a meeting's follow-ups): the record that row became in this import,
else the visit's record of that id.
"""

from functools import partial

from django.utils.translation import gettext as _

from contacts.models import Organization, Person
from delegations.models import Agreement, AgreementParty, Delegation, DelegationMember, FollowUp, ItineraryItem, Venue
from meetings.models import Meeting, MeetingParticipant
from meetings.services import itinerary_item_update, meeting_schedule, meeting_update, venue_update

from .columns import sheet_label
from .sheets import LIST_SEPARATOR


def _meeting_save(service, people, meeting: Meeting) -> None:
    service(meeting=meeting, participants=people)


class VisitSheets:
    """The loader's methods for the visit's sheets (mixed into workbooks.loading's loader)."""

    def row_record(self, row, column: str, sheet: str, model, visit: Delegation, text: str | None = None):
        """The record of the visit named by the id of its row in `sheet`, or None when the cell is empty."""
        text = row.text(column) if text is None else text
        if not text:
            return None
        if text in self.ids[sheet]:
            return self.ids[sheet][text]
        if text.isdigit() and int(text) not in self.created[model]:
            found = model._default_manager.filter(delegation=visit, pk=int(text)).first()
            if found is not None:
                return found
        row._fail(
            column,
            _("No row of the sheet “%(sheet)s” has the id %(id)s.") % {"sheet": sheet_label(sheet), "id": text},
        )
        return None

    def row_records(self, row, column: str, sheet: str, model, visit: Delegation) -> list:
        texts = [text.strip() for text in row.text(column).split(LIST_SEPARATOR.strip()) if text.strip()]
        found = (self.row_record(row, column, sheet, model, visit, text) for text in texts)
        return [record for record in found if record is not None]

    def venue(self, row, column: str) -> Venue | None:
        """The venue of that name: one of the venues sheet's, else the one venue so named in the database."""
        name = row.text(column)
        if not name:
            return None
        listed = [venue for venue in self.ids["venues"].values() if venue.name == name]
        found = listed or list(Venue.objects.filter(name=name)[:2])
        if len(found) != 1:
            row._fail(
                column,
                _("No single venue is named “%(name)s”: add it to its sheet, or write its name as there.")
                % {"name": name},
            )
            return None
        return found[0]

    def venues(self):
        for number, row in self.rows("venues"):
            values = {
                "name": row.text("name"), "address": row.text("address"), "city": row.text("city"),
                "country": row.country("country"), "time_zone": row.zone("time_zone"),
                "organization": row.record(Organization, "organization"),
            }  # fmt: skip
            if row.errors:
                continue
            venue = self.own(Venue, row, Venue.objects.all())
            venue = venue or Venue.objects.filter(name=values["name"], city=values["city"]).first() or Venue()
            self.save("venues", number, venue, values, save=lambda obj: venue_update(venue=obj), row=row)

    def visit(self) -> Delegation | None:
        rows = list(self.rows("visit"))
        if len(rows) != 1:
            self.error("visit", None, "", _("The sheet “visit” must hold exactly one row under its column names."))
            return None
        number, row = rows[0]
        visit = Delegation.objects.filter(slug=row.text("slug")).first() or Delegation(slug=row.text("slug"))
        values = {
            **row.texts("title"), "origin_country": row.country("origin_country"), **row.texts("origin_region"),
            "leading_body": row.record(Organization, "leading_body"),
            "host_countries": [c.strip().upper() for c in row.text("host_countries").split(";") if c.strip()],
            "organiser": row.record(Organization, "organiser", required=True),
            "start_date": row.date("start_date", required=True), "end_date": row.date("end_date", required=True),
            "home_time_zone": row.zone("home_time_zone"),
            "status": row.text("status") or Delegation.Status.PLANNED, "is_published": row.boolean("is_published"),
            **row.texts("purpose"), **row.texts("description"),
            "reported_meetings": row.optional_integer("reported_meetings"),
            "agreements_without_detail": row.optional_integer("agreements_without_detail"),
            **row.texts("agreements_without_detail_summary"),
        }  # fmt: skip
        relations = {
            "supporting_organizations": row.records(Organization, "supporting_organizations"),
            "priority_sectors": row.sectors("priority_sectors"),
        }
        if row.errors:
            # Reported here: the rows were all read (list() above) before this one's cells were.
            for error in row.errors:
                self.error("visit", number, error.column, error.message)
            return None
        if visit.pk is not None and [c.code for c in visit.host_countries] == values["host_countries"]:
            values["host_countries"] = visit.host_countries
        return visit if self.save("visit", number, visit, values, relations=relations) else None

    def members(self, visit: Delegation):
        for number, row in self.rows("members"):
            member = self.find(DelegationMember, row, visit)
            values = {
                "person": row.record(Person, "person"), "role": row.text("role"), **row.texts("title"),
                "organization": row.record(Organization, "organization"), "order": row.integer("order"),
            }  # fmt: skip
            if not row.errors:
                self.save("members", number, member, values, row=row)

    def itinerary(self, visit: Delegation):
        for number, row in self.rows("itinerary"):
            item = self.find(ItineraryItem, row, visit)
            values = {
                "day": row.date("day", required=True), "start_time": row.time("start_time"),
                "end_time": row.time("end_time"), "start_fold": row.boolean("start_fold"),
                "end_fold": row.boolean("end_fold"), "kind": row.text("kind"), **row.texts("title"),
                **row.texts("description"), "venue": self.venue(row, "venue"), "city": row.text("city"),
                "time_zone": row.zone("time_zone", required=False),
                "audience_size": row.optional_integer("audience_size"),
                "audience_approximation": row.text("audience_approximation"),
                "reported_meetings": row.optional_integer("reported_meetings"),
                "agreements_without_detail": row.optional_integer("agreements_without_detail"),
                **row.texts("agreements_without_detail_summary"), "order": row.integer("order"),
                "b2b_tables": row.text("b2b_tables"), "b2b_slot_minutes": row.optional_integer("b2b_slot_minutes"),
            }  # fmt: skip
            relations = {
                "hosts": row.records(Organization, "hosts"),
                "delegation_participants": row.records(Person, "delegation_participants"),
                "host_participants": row.records(Person, "host_participants"),
            }
            if not row.errors:
                self.save(
                    "itinerary", number, item, values,
                    save=lambda obj: itinerary_item_update(item=obj), relations=relations, row=row,
                )  # fmt: skip

    def agreements(self, visit: Delegation):
        for number, row in self.rows("agreements"):
            agreement = self.find(Agreement, row, visit)
            values = {
                "kind": row.text("kind"), **row.texts("title"), **row.texts("subject"),
                "signed_on": row.date("signed_on"), "place": row.text("place"),
                "signing_item": self.row_record(row, "signing_item", "itinerary", ItineraryItem, visit),
                "status": row.text("status") or Agreement.Status.SIGNED,
            }  # fmt: skip
            if not row.errors:
                self.save("agreements", number, agreement, values, row=row)

    def parties(self, visit: Delegation):
        """A party with an id updates that party; without one, the agreement's party of that organization."""
        for number, row in self.rows("parties"):
            values = {
                "agreement": self.row_record(row, "agreement", "agreements", Agreement, visit),
                "organization": row.record(Organization, "organization", required=True),
                "signatory": row.record(Person, "signatory"), "signatory_title": row.text("signatory_title"),
                "order": row.integer("order"),
            }  # fmt: skip
            if values["agreement"] is None and not row.errors:
                row._fail("agreement", _("Give the id of the agreement's row."))
            if row.errors:
                continue
            party = self.own(AgreementParty, row, AgreementParty.objects.filter(agreement__delegation=visit))
            if party is None and values["agreement"].pk is not None:
                party = values["agreement"].parties.filter(organization=values["organization"]).first()
            self.save("parties", number, party or AgreementParty(), values, row=row)

    def follow_ups(self, visit: Delegation):
        for number, row in self.rows("follow_ups"):
            follow_up = self.find(FollowUp, row, visit)
            values = {
                "kind": row.text("kind"), **row.texts("title"), **row.texts("description"),
                "sector": row.sector("sector"), "status": row.text("status") or FollowUp.Status.PROPOSED,
                **row.texts("next_step"), "due_date": row.date("due_date"),
                "itinerary_item": self.row_record(row, "itinerary_item", "itinerary", ItineraryItem, visit),
                "agreement": self.row_record(row, "agreement", "agreements", Agreement, visit),
            }  # fmt: skip
            organizations = row.records(Organization, "organizations")
            if not row.errors:
                self.save("follow_ups", number, follow_up, values, relations={"organizations": organizations}, row=row)

    def meetings(self, visit: Delegation):
        for number, row in self.rows("meetings"):
            meeting = self.find(Meeting, row, visit)
            values = {
                "session": self.row_record(row, "session", "itinerary", ItineraryItem, visit),
                "date": row.date("date", required=True), "start_time": row.time("start_time"),
                "end_time": row.time("end_time"), "start_fold": row.boolean("start_fold"),
                "end_fold": row.boolean("end_fold"), "venue": self.venue(row, "venue"), "city": row.text("city"),
                "time_zone": row.zone("time_zone", required=False), "table": row.text("table"),
                "delegation_organization": row.record(Organization, "delegation_organization", required=True),
                "host_organization": row.record(Organization, "host_organization", required=True),
                "sector": row.sector("sector"), "status": row.text("status") or Meeting.Status.REQUESTED,
                "is_locked": row.boolean("is_locked"), **row.texts("outcome"),
                "follow_up_expected": row.boolean("follow_up_expected"), "private_notes": row.text("private_notes"),
            }  # fmt: skip
            follow_ups = self.row_records(row, "follow_ups", "follow_ups", FollowUp, visit)
            people = [
                (person, side)
                for side, column in ((MeetingParticipant.Side.DELEGATION, "delegation_participants"),
                                     (MeetingParticipant.Side.HOST, "host_participants"))
                for person in row.records(Person, column)
            ]  # fmt: skip
            if row.errors:
                continue
            held = set() if meeting.pk is None else set(meeting.participants.values_list("person_id", "side"))
            # The booking rules of the admin: no organization, person or table twice at once.
            service = meeting_schedule if meeting.pk is None else meeting_update
            self.save(
                "meetings", number, meeting, values, save=partial(_meeting_save, service, people),
                relations={"follow_ups": follow_ups}, row=row,
                also_changed=held != {(person.pk, side) for person, side in people},
            )  # fmt: skip
