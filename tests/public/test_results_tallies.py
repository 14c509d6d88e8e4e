"""The results figures follow every change at once: the counts behind them (held meetings per visit and
organization, meetings.tallies; totals over the published visits, meetings.totals) are kept by the
database's triggers in the change's own transaction, whatever makes it (the admin, a service, a merge,
plain SQL), and match the rows they count after each."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from contacts.merging import contact_merge
from core import triggers
from core.cache import content_changed
from delegations.models import Agreement, Delegation, FollowUp
from delegations.services import delegations_set_published
from meetings import tallies, totals
from meetings.models import Meeting
from meetings.services import meeting_set_status
from sampledata.generator import domain_flush
from tests.factories import AgreementFactory, OrganizationFactory
from tests.public import test_results
from tests.public.test_results import RESULTS, band, table_rows

world = test_results.world


def page() -> str:
    """The results page as an anonymous visitor gets it (through the page cache)."""
    return Client().get(RESULTS).content.decode()


TABLES = ("agreements-by-kind", "funnel", "sectors", "organizations", "timeline")


def assert_counts_match():
    assert tallies.tallies_differences() == []
    assert totals.totals_differences() == []
    assert_unfiltered_as_counted()


def assert_unfiltered_as_counted():
    """The page without filters, read from the totals kept over the published visits, shows what the page
    counting each visit shows, with a filter that keeps every published visit (both host France)."""
    unfiltered, every_visit = (Client().get(url).content.decode() for url in (RESULTS, f"{RESULTS}?host_country=FR"))
    assert band(unfiltered) == band(every_visit)
    for table in TABLES:
        assert table_rows(unfiltered, table) == table_rows(every_visit, table), table


def test_results_follow_a_meeting_marked_held(world):
    assert band(page())["Meetings held"] == "22 of which 19 reported without detail"
    confirmed = Meeting.objects.get(delegation=world["paris"], status=Meeting.Status.CONFIRMED)

    meeting_set_status(meetings=[confirmed], status=Meeting.Status.HELD)

    html = page()
    assert band(html)["Meetings held"] == "23 of which 19 reported without detail"
    assert table_rows(html, "sectors")[0] == ["Health", "3", "1", "1"]
    assert table_rows(html, "timeline")[0] == ["2018", "1", "18", "15", "4", "3", "4"]
    assert [confirmed.delegation_organization.name, "1"] in table_rows(html, "organizations")
    assert_counts_match()


def test_results_follow_a_meeting_deleted_in_the_admin(world, staff_client):
    held = Meeting.objects.get(delegation=world["munich"], status=Meeting.Status.HELD)
    assert table_rows(page(), "organizations")[:3] == [
        ["Irkutsk Government", "3"],
        ["Lyon Clinic", "2"],
        ["Munich Utility", "1"],
    ]

    response = staff_client.post(f"/admin/meetings/meeting/{held.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=held.pk).exists()
    html = page()
    assert band(html)["Meetings held"] == "21 of which 19 reported without detail"
    assert table_rows(html, "sectors") == [["Health", "2", "1", "1"], ["Energy", "0", "1", "0"]]
    assert table_rows(html, "organizations")[:2] == [["Irkutsk Government", "2"], ["Lyon Clinic", "2"]]
    assert "Munich Utility" not in " ".join(row[0] for row in table_rows(html, "organizations"))
    assert_counts_match()


def test_results_drop_a_visit_withdrawn_and_count_it_again_when_published(world):
    munich = Delegation.objects.filter(pk=world["munich"].pk)

    delegations_set_published(delegations=munich, published=False)

    html = page()
    assert band(html)["Visits"] == "1"
    assert band(html)["Meetings held"] == "17 of which 15 reported without detail"
    assert table_rows(html, "organizations") == [["Irkutsk Government", "2"], ["Lyon Clinic", "2"]]
    assert_counts_match()

    delegations_set_published(delegations=munich, published=True)

    assert table_rows(page(), "organizations") == [
        ["Irkutsk Government", "3"],
        ["Lyon Clinic", "2"],
        ["Munich Utility", "1"],
    ]
    assert_counts_match()


def test_results_count_an_agreement_added(world):
    AgreementFactory(delegation=world["paris"], kind=Agreement.Kind.COOPERATION, status=Agreement.Status.SIGNED)

    assert table_rows(page(), "agreements-by-kind") == [
        ["Memorandum of understanding", "1"],
        ["Cooperation agreement", "2"],
        ["Reported without detail", "3"],
    ]
    assert_counts_match()


def test_results_follow_agreements_and_follow_ups_edited(world):
    contract = Agreement.objects.get(delegation=world["paris"], status=Agreement.Status.PREPARED)
    contract.status = Agreement.Status.SIGNED
    contract.save()
    proposed = FollowUp.objects.get(delegation=world["paris"], status=FollowUp.Status.PROPOSED)
    proposed.status = FollowUp.Status.IN_PROGRESS
    proposed.sector = None
    proposed.save()
    FollowUp.objects.filter(delegation=world["paris"], status=FollowUp.Status.DROPPED).delete()
    content_changed()

    html = page()
    assert ["Contract", "1"] in table_rows(html, "agreements-by-kind")
    funnel = {row[0]: row[1:] for row in table_rows(html, "funnel")}
    assert funnel["Proposed"][0] == "0"
    assert funnel["In progress"][0] == "1"
    assert funnel["Dropped"] == ["0", "0"]
    assert_counts_match()


def test_results_follow_a_visit_moved_to_another_year(world):
    paris = Delegation.objects.get(pk=world["paris"].pk)
    assert [row[0] for row in table_rows(page(), "timeline")] == ["2018", "2019"]

    paris.start_date, paris.end_date = datetime.date(2019, 11, 25), datetime.date(2019, 11, 28)
    paris.save()

    assert table_rows(page(), "timeline") == [["2019", "2", "22", "19", "5", "3", "5"]]
    assert_counts_match()


def test_results_follow_a_merge_of_organizations(world):
    utility = Meeting.objects.get(delegation=world["munich"], status=Meeting.Status.HELD).host_organization
    kept = OrganizationFactory(name="Munich Utilities GmbH", slug="munich-utilities")

    contact_merge(kept=kept, merged=utility)

    assert table_rows(page(), "organizations") == [
        ["Irkutsk Government", "3"],
        ["Lyon Clinic", "2"],
        ["Munich Utilities GmbH", "1"],
    ]
    # The draft's meetings moved too, and still never count publicly.
    assert_counts_match()


def test_results_filtered_and_unfiltered_rank_organizations_alike(world, client):
    """Without filters the ranking reads the totals over published visits; with a filter that keeps every
    published visit, the counts per visit: the same table."""
    unfiltered = table_rows(client.get(RESULTS).content.decode(), "organizations")
    every_visit = table_rows(client.get(f"{RESULTS}?host_country=FR").content.decode(), "organizations")
    assert unfiltered == every_visit == [["Irkutsk Government", "3"], ["Lyon Clinic", "2"], ["Munich Utility", "1"]]


def test_results_counts_follow_writes_in_plain_sql(world):
    """Writes that bypass the models (a script, an import's bulk update) are counted all the same."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE meetings_meeting SET status = 'held' WHERE status <> 'held'")
        cursor.execute("UPDATE delegations_agreement SET status = 'signed'")
        cursor.execute("UPDATE delegations_followup SET status = 'done' WHERE status = 'proposed'")
        cursor.execute(f"UPDATE delegations_delegation SET is_published = true WHERE id = {world['draft'].pk}")
    content_changed()  # as such writes must, for the page cache
    html = page()
    assert band(html)["Meetings held"] == "129 of which 119 reported without detail"
    # The prepared contract now signed, and the draft's contract and 50 documents now published.
    assert table_rows(html, "agreements-by-kind") == [
        ["Memorandum of understanding", "1"],
        ["Cooperation agreement", "1"],
        ["Contract", "2"],
        ["Reported without detail", "53"],
    ]
    assert_counts_match()


def test_results_counts_rebuild_and_check_command(world):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {tallies.BY_SECTOR} SET n = n + 5")
        cursor.execute(f"DELETE FROM {totals.TABLE} WHERE figure = 'followed'")
    with pytest.raises(
        CommandError,
        match=rf"(?s){tallies.BY_SECTOR} .*{totals.TABLE} \['followed', 2018, 'done', 0\]: kept 0, counted 1",
    ):
        call_command("rebuild_results_tallies", "--check")

    call_command("rebuild_results_tallies", verbosity=0)

    assert_counts_match()
    call_command("rebuild_results_tallies", "--check", verbosity=0)


def test_results_counts_triggers_exist_after_migrating(db):
    """A later migration that rebuilds the meetings' or visits' table on SQLite drops their triggers: this
    fails until it creates them again (meetings.tallies.create_statements)."""
    expected = {
        name for name, _table in [*tallies.TRIGGERS[connection.vendor], *totals.trigger_names(connection.vendor)]
    }
    assert expected <= triggers.installed(connection)
    # The triggers' own words for a meeting held and an agreement not signed.
    assert Meeting.Status.HELD == "held" == totals.HELD
    assert Agreement.Status.PREPARED == totals.PREPARED


def test_results_counts_emptied_by_a_flush(world):
    """The scale generator and the test runner flush the tables (TRUNCATE on PostgreSQL): no count is left."""
    domain_flush()

    with connection.cursor() as cursor:
        for table in (tallies.BY_SECTOR, tallies.BY_ORGANIZATION, tallies.PUBLISHED, totals.TABLE):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            assert cursor.fetchone() == (0,), table
