"""A visit from nothing to the public: staff enter it in the admin with its real widgets (journey 1),
a partner reads, filters, exports and switches to French (journey 2)."""

import csv
import datetime
import zoneinfo

import icalendar
from django.utils import timezone

from .helpers import admin_login, error_note, pick, save, success_message

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
ATHENS = zoneinfo.ZoneInfo("Europe/Athens")
GOVERNMENT = "Government of the Novosibirsk region"
GOVERNMENT_NATIVE = "Правительство Новосибирской области"
BERLIN_PARTNER = "Berlin Partner for Business and Technology"
VISIT = "Novosibirsk region in Germany and Greece"
SLUG = "novosibirsk-region-in-germany-and-greece"  # made from the title as staff type it


def visit_days() -> tuple[datetime.date, datetime.date, datetime.date]:
    """Three days a month ahead: the visit is upcoming whenever the test runs."""
    first = timezone.localdate() + datetime.timedelta(days=30)
    return first, first + datetime.timedelta(days=1), first + datetime.timedelta(days=2)


def programme(days) -> tuple[tuple, ...]:
    """The four itinerary items: day, start, end, kind, title, city, zone (times local, as typed)."""
    first, second, third = days
    return (
        (first, "14:00", "17:00", "b2b_session", "B2B meetings with Berlin companies", "Berlin", "Europe/Berlin"),
        (second, "08:30", "", "travel", "Flight from Berlin to Athens", "Berlin", "Europe/Berlin"),
        (second, "16:00", "17:30", "conference", "Investment presentation in Athens", "Athens", "Europe/Athens"),
        (third, "", "", "site_visit", "Visit to the port of Piraeus", "Athens", "Europe/Athens"),
    )


def add_organization(page, name: str, native_name: str, kind: str, country: str, city: str) -> None:
    page.goto("/admin/contacts/organization/add/")
    page.locator("#id_name").fill(name)
    page.locator("#id_native_name").fill(native_name)
    page.locator("#id_kind").select_option(kind)
    page.locator("#id_country").select_option(country)
    page.locator("#id_city").fill(city)
    save(page)
    assert f"“{name}” was added successfully." in success_message(page)


def add_person(page, name: str, native_name: str, title: str, organization: str, public: bool) -> None:
    page.goto("/admin/contacts/person/add/")
    page.locator("#id_name").fill(name)
    if native_name:
        page.locator("#id_native_name").fill(native_name)
    page.locator("#id_is_public").set_checked(public)
    page.locator("#id_positions-0-title_en").fill(title)
    pick(page, "id_positions-0-organization", organization.split()[0], organization)
    save(page)
    assert f"“{name}” was added successfully." in success_message(page)


def add_visit(page, days) -> None:
    first, _second, third = days
    page.goto("/admin/delegations/delegation/add/")
    page.locator("#id_title_en").fill(VISIT)
    page.locator("#id_origin_country").select_option("RU")
    page.locator("#id_origin_region_en").fill("Novosibirsk region")
    pick(page, "id_leading_body", "новосибирской", GOVERNMENT)  # found by its native-script name
    pick(page, "id_home_time_zone", "novosib", "Asia/Novosibirsk")  # zones and countries: typed and picked
    pick(page, "id_host_countries", "germ", "Germany")
    pick(page, "id_host_countries", "gree", "Greece")
    page.locator("#id_start_date").fill(first.isoformat())
    page.locator("#id_end_date").fill(third.isoformat())
    pick(page, "id_organiser", "Berlin Partner", BERLIN_PARTNER)

    members = (("Andrey Travnikov", "head", "Governor of the Novosibirsk region"), ("Irina Mannanova", "minister", ""))
    for row, (person, role, title) in enumerate(members):
        if row:
            page.locator("#members-group .add-row a").click()
        pick(page, f"id_members-{row}-person", person.split()[0].lower(), person)
        page.locator(f"#id_members-{row}-role").select_option(role)
        page.locator(f"#id_members-{row}-title_en").fill(title)
        pick(page, f"id_members-{row}-organization", "novosibirsk", GOVERNMENT)

    for row, (day, start, end, kind, title, city, zone) in enumerate(programme(days)):
        if row:
            page.locator("#itinerary_items-group .add-row a").click()
        prefix = f"#id_itinerary_items-{row}"
        page.locator(f"{prefix}-day").fill(day.isoformat())
        page.locator(f"{prefix}-start_time").fill(start)
        page.locator(f"{prefix}-end_time").fill(end)
        page.locator(f"{prefix}-kind").select_option(kind)
        page.locator(f"{prefix}-title_en").fill(title)
        page.locator(f"{prefix}-city").fill(city)
        pick(page, f"{prefix[1:]}-time_zone", zone.split("/")[1], zone)
    page.locator("#itinerary_items-0 details summary").click()  # the item's detail: description, hosts…
    pick(page, "id_itinerary_items-0-hosts", "Berlin", BERLIN_PARTNER)

    assert page.locator("#id_slug").input_value() == SLUG  # the admin made it from the title
    save(page, "Save and continue editing")
    assert f"“{VISIT}” was added successfully." in success_message(page)


def add_meeting(page, start: str, end: str, table: str) -> None:
    page.goto("/admin/meetings/meeting/add/")
    pick(page, "id_delegation", "Novosibirsk", VISIT)
    pick(page, "id_session", "B2B", "B2B meetings with Berlin companies")
    page.locator("#id_status").select_option("confirmed")
    page.locator("#id_date").fill(visit_days()[0].isoformat())
    page.locator("#id_start_time").fill(start)
    page.locator("#id_end_time").fill(end)
    page.locator("#id_table").fill(table)
    pick(page, "id_delegation_organization", "Novosibirsk", GOVERNMENT)
    pick(page, "id_host_organization", "Berlin", BERLIN_PARTNER)
    page.locator("#id_participants-0-side").select_option("delegation")
    pick(page, "id_participants-0-person", "Irina", "Irina Mannanova")
    page.locator("#id_participants-1-side").select_option("host")
    pick(page, "id_participants-1-person", "Stefan", "Stefan Franzke")
    save(page)


def add_agreement(page, day: datetime.date) -> None:
    page.goto("/admin/delegations/agreement/add/")
    pick(page, "id_delegation", "Novosibirsk", VISIT)
    page.locator("#id_kind").select_option("mou")
    page.locator("#id_title_en").fill("Memorandum on investment promotion")
    page.locator("#id_signed_on").fill(day.isoformat())
    page.locator("#id_place").fill("Berlin")
    pick(page, "id_parties-0-organization", "Novosibirsk", GOVERNMENT)
    pick(page, "id_parties-0-signatory", "Andrey", "Andrey Travnikov")
    pick(page, "id_parties-1-organization", "Berlin", BERLIN_PARTNER)
    save(page)
    assert "“Memorandum on investment promotion” was added successfully." in success_message(page)


def record_outcome(page, meeting: str) -> None:
    """Marks the first meeting held, with a follow-up linked to it."""
    page.goto("/admin/meetings/meeting/")
    page.get_by_role("link", name="Record outcome").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Record the outcome of “{meeting}”"
    page.locator("#id_outcome").fill("Agreed to prepare a joint wood-processing project.")
    page.locator("#id_follow_up_expected").check()
    page.locator("#id_follow_up-kind").select_option("investment_project")
    page.locator("#id_follow_up-title").fill("Wood-processing plant near Novosibirsk")
    page.locator("#id_follow_up-status").select_option("in_negotiation")
    page.locator("#id_follow_up-next_step").fill("Feasibility study")
    save(page, "Record outcome")
    assert success_message(page) == (
        f"Outcome of “{meeting}” recorded: held, with the follow-up “Wood-processing plant near Novosibirsk”."
    )
    # Back on the meeting, now held and linked to its follow-up.
    assert page.locator("#id_status option:checked").inner_text() == "Held"
    assert page.locator("#id_follow_ups option:checked").all_inner_texts() == ["Wood-processing plant near Novosibirsk"]


def publish(page) -> None:
    page.goto("/admin/delegations/delegation/")
    page.get_by_role("row", name=VISIT).get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("publish")
    with page.expect_navigation():
        page.get_by_role("button", name="Go").click()
    assert success_message(page) == "1 visit published."


def test_staff_editor_enters_a_visit_and_a_partner_reads_exports_and_switches_to_french(new_page, staff_member):
    staff_member("editor", "Editors")
    page = new_page(width=1280)
    admin_login(page, "editor")
    days = visit_days()

    add_organization(page, GOVERNMENT, GOVERNMENT_NATIVE, "government", "RU", "Novosibirsk")
    add_organization(page, BERLIN_PARTNER, "", "agency", "DE", "Berlin")
    add_person(page, "Andrey Travnikov", "Андрей Травников", "Governor", GOVERNMENT, public=True)
    add_person(page, "Irina Mannanova", "", "Minister of Economy", GOVERNMENT, public=True)
    add_person(page, "Stefan Franzke", "", "Managing Director", BERLIN_PARTNER, public=False)
    add_visit(page, days)

    # Two meetings in the B2B session; the second first overlaps the first for the same organizations.
    add_meeting(page, "14:00", "14:30", "1")
    assert "was added successfully" in success_message(page)
    add_meeting(page, "14:15", "14:45", "2")
    assert error_note(page) == "Please correct the errors below."
    first_meeting = f"{GOVERNMENT} / {BERLIN_PARTNER}, {days[0]:%Y-%m-%d} 14:00"
    refusal = page.locator(".field-delegation_organization .errorlist").inner_text()
    assert refusal == f"{GOVERNMENT} is already in “{first_meeting}” at that time."
    page.locator("#id_start_time").fill("14:30")
    page.locator("#id_end_time").fill("15:00")
    save(page)
    assert "was added successfully" in success_message(page)

    add_agreement(page, days[0])
    record_outcome(page, first_meeting)
    publish(page)

    partner = new_page(width=1280)
    shown_items = partner_reads_the_itinerary(partner, days)
    partner_reads_the_outcomes(partner)
    shown_meetings = partner_filters_and_exports_the_meetings(partner)
    partner_downloads_the_calendar(partner, shown_items, shown_meetings, days)
    partner_switches_to_french(partner)


def expected_item(day, start, end, zone) -> tuple[str, str | None, datetime.datetime | None]:
    """What the itinerary shows of an item: its local times, its zone's abbreviation and offset, the instant."""
    if not start:
        return "Time not announced", None, None
    instant = datetime.datetime.combine(day, datetime.time.fromisoformat(start), zoneinfo.ZoneInfo(zone))
    hours = int(instant.utcoffset().total_seconds() // 3600)
    label = f"{instant.tzname()}, UTC+{hours}" if instant.tzname().isalpha() else f"UTC+{hours}"
    return f"{start}–{end}" if end else start, label, instant


def partner_reads_the_itinerary(page, days) -> dict:
    page.goto("/")
    page.get_by_role("link", name=VISIT).click()
    page.wait_for_url(f"**/delegations/{SLUG}/")
    assert page.locator(".member-list").inner_text().splitlines()[0] == "Andrey Travnikov (Андрей Травников)"
    assert [day.locator("h4.city").all_text_contents() for day in page.locator("section.day").all()] == [
        ["Berlin"],
        ["Berlin", "Athens"],
        ["Athens"],
    ]
    shown = {}
    for item in page.locator("li.item").all():
        time = item.locator("time.item__time")
        if time.count():
            instant = datetime.datetime.fromisoformat(time.get_attribute("datetime"))
            when = (time.inner_text(), item.locator(".item__zone").inner_text(), instant)
        else:
            when = (item.locator(".item__tba").inner_text(), None, None)
        shown[item.locator(".item__title").inner_text()] = when
    assert shown == {
        title: expected_item(day, start, end, zone) for day, start, end, _kind, title, _city, zone in programme(days)
    }
    return shown


def partner_reads_the_outcomes(page) -> None:
    page.get_by_role("link", name="Outcomes").click()
    page.wait_for_url(f"**/delegations/{SLUG}/outcomes/")
    text = page.locator("main").inner_text()
    for fact in ("Memorandum on investment promotion", "Wood-processing plant near Novosibirsk", "Feasibility study"):
        assert fact in text
    assert "Stefan Franzke" not in text


def partner_filters_and_exports_the_meetings(page) -> list[tuple]:
    page.locator(".visit-tabs").get_by_role("link", name="Meetings").click()
    page.locator("#id_status").select_option("held")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    assert page.locator(".result-count").inner_text() == "1 meeting"
    page.locator("#id_status").select_option("")
    page.locator("#id_organization").fill(BERLIN_PARTNER)
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    assert page.locator(".result-count").inner_text() == "2 meetings"
    shown = []
    for row in page.locator("table.meetings tbody tr").all():
        instant = row.locator("td[data-label=When] time").nth(1).get_attribute("datetime")
        shown.append(
            (
                datetime.datetime.fromisoformat(instant),
                # The organization's link: its Latin name, as the CSV has it (the native name stands beside).
                row.locator("td[data-label='Delegation side'] a").first.inner_text(),
                row.locator("td[data-label='Host side'] a").first.inner_text(),
                row.locator("td[data-label=Status]").inner_text(),
                row.locator("td[data-label=Outcome]").inner_text(),
            )
        )

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    assert download.value.suggested_filename == f"{SLUG}-{timezone.localdate():%Y-%m-%d}.csv"
    with open(download.value.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    labels = {"held": "Held", "confirmed": "Confirmed"}
    assert [
        (
            datetime.datetime.fromisoformat(row["start_utc"]),
            row["delegation_organization"],
            row["host_organization"],
            labels[row["status"]],
            row["outcome"],
        )
        for row in rows
    ] == shown
    assert {(row["delegation_people"], row["host_people"]) for row in rows} == {
        ("Irina Mannanova", f"a representative of {BERLIN_PARTNER}")
    }
    return shown


def partner_downloads_the_calendar(page, shown_items: dict, shown_meetings: list, days) -> None:
    page.goto(f"/delegations/{SLUG}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download (.ics)").click()
    with open(download.value.path(), "rb") as file:
        calendar = icalendar.Calendar.from_ical(file.read())
    starts = {}
    for event in calendar.walk("VEVENT"):
        starts.setdefault(str(event["SUMMARY"]), []).append(event.decoded("DTSTART"))
    meeting_summary = f"B2B meeting: {GOVERNMENT} / {BERLIN_PARTNER}"
    assert sorted(starts[meeting_summary]) == [meeting[0] for meeting in shown_meetings]
    del starts[meeting_summary]
    # The same instants as the itinerary, whatever the zone they are written in; the day for a date-only item.
    expected = {title: [instant or days[2]] for title, (_when, _zone, instant) in shown_items.items()}
    assert starts == expected
    berlin_session = starts["B2B meetings with Berlin companies"][0]
    athens_talk = starts["Investment presentation in Athens"][0]
    assert (berlin_session.tzinfo.key, athens_talk.tzinfo.key) == ("Europe/Berlin", "Europe/Athens")


def partner_switches_to_french(page) -> None:
    with page.expect_navigation():
        page.locator(".language-switcher").get_by_role("button", name="Français").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#members-title").inner_text() == "Membres de la délégation"
    assert page.locator(".visit-tabs").get_by_role("link", name="Résultats").is_visible()
    assert page.locator(".item__tba").inner_text() == "Heure non communiquée"
