"""Steps shared by the browser tests."""

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

PASSWORD_SUFFIX = "-Pa55"


def password_for(username: str) -> str:
    return username[::-1] + PASSWORD_SUFFIX


def admin_login(page, username: str) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password_for(username))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def pick(page, select_id: str, search: str, option: str) -> None:
    """Chooses in an admin autocomplete (select2) widget as a person does: open it, type, click the option;
    and, as a person would, once more if the choice did not take (on a busy machine the click can land
    while select2 redraws the list for the search's answer)."""
    chosen = page.locator(f"#{select_id} option:checked").last
    for attempt in range(2):
        # select2 puts its own box right after the hidden <select> it drives.
        widget = page.locator(f"#{select_id} + .select2 .select2-selection")
        if attempt:
            # As a keyboard user opens it, should the click not have: focus, then the down arrow.
            widget.focus()
            page.keyboard.press("ArrowDown")
        else:
            widget.click()
        search_field = page.locator(".select2-container--open .select2-search__field")
        try:
            search_field.wait_for(timeout=10000)
        except PlaywrightTimeoutError:
            if attempt:
                raise
            continue  # the click landed before the widget answered: open it again
        search_field.fill(search)
        page.locator(".select2-container--open .select2-results__option", has_text=option).click()
        # The choice is made when the <select> behind the widget holds it: select2 sets it after the click's
        # event, so wait for it (reading it at once failed one run in a few).
        try:
            expect(chosen).to_contain_text(option)
            return
        except AssertionError:
            if attempt:
                raise
            page.keyboard.press("Escape")


def save(page, button: str = "Save") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).first.click()


def success_message(page) -> str:
    return page.locator("ul.messagelist li.success").inner_text()


def error_note(page) -> str:
    return page.locator(".errornote").inner_text()
