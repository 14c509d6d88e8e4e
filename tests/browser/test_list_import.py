"""An editor imports a people list whose row is a known person under another spelling, and says so on the
preview, as staff would."""

from playwright.sync_api import expect

from contacts.models import Person
from tests import factories

from .helpers import admin_login


def test_editor_answers_same_as_on_the_list_preview(new_page, staff_member, tmp_path, artifacts):
    serguei = factories.PersonFactory(name="Sergueï Levtchenko", native_name="Сергей Левченко", slug="serguei")
    staff_member("editor", "Editors")
    people = tmp_path / "people.csv"
    # Saved by a Windows spreadsheet in Western Europe: Windows-1252, semicolons.
    people.write_bytes("name;honorific;email\r\nSergei Levchenko;M.;s.levchenko@example.org\r\n".encode("cp1252"))
    page = new_page(width=1280)
    admin_login(page, "editor")

    page.goto("/admin/contacts/person/")
    page.get_by_role("link", name="Import").click()
    page.get_by_label("File to import").set_input_files(str(people))
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()

    expect(page.locator("#import-identities legend")).to_have_text("Row 1: “Sergei Levchenko”")
    # The choice is required: the browser asks for it before sending (the server refuses too: test_list_identity).
    page.get_by_role("button", name="Confirm import").click()
    assert page.locator("input[name='identity-1']").first.evaluate("radio => radio.validity.valueMissing")
    assert Person.objects.count() == 1
    page.get_by_label("Same as Sergueï Levtchenko").check()
    page.screenshot(path=artifacts / "list-import-identity.png", full_page=True)
    page.get_by_role("button", name="Confirm import").click()

    expect(page.locator(".messagelist .success")).to_contain_text("Import finished: 0 new, 1 updated")
    assert list(Person.objects.values_list("name", "other_names", "email")) == [
        ("Sergueï Levtchenko", "Sergei Levchenko", "s.levchenko@example.org")
    ]
    assert serguei.pk == Person.objects.get().pk
