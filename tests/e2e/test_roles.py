"""Each demo role signs in with its second factor in Chromium, sees its home page, finds a
customer with live search and opens the profile; no page shows a full card or ID number."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browsing import PageWatch, new_watched_page, sign_in
from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

# username -> (home page heading, role shown beside the name)
HOMES = {
    "agent1": ("Good day, Li Na", "Remote agent"),
    "manager1": ("My portfolio", "Account manager"),
    "supervisor1": ("Supervision", "Supervisor"),
    "admin1": ("Administration", "Administrator"),
    "auditor1": ("Audit log", "Auditor"),
}


def _search_live(page: Page, query: str, expected_customer_no: str) -> None:
    """Type into the search box and wait for htmx to swap the results in without a reload."""
    # htmx binds to the search box on DOMContentLoaded: type only once it has.
    page.wait_for_load_state("load")
    page.evaluate("window.__samePage = true")
    page.get_by_test_id("customer-search").fill(query)
    results = page.get_by_test_id("search-results")
    expect(results).to_contain_text(expected_customer_no)
    assert page.evaluate("window.__samePage === true"), "the results came with a page reload"


def _open_from_results(page: Page, customer: dict) -> None:
    row = page.get_by_test_id("search-results").locator("tr", has_text=customer["customer_no"])
    row.get_by_role("link", name=customer["full_name"]).click()


def _state_reason(page: Page, customer: dict) -> None:
    expect(page).to_have_url(re.compile(rf"/customers/{customer['id']}/reason$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Why do you open this record?")
    page.get_by_label("Reason").select_option("customer_request")
    details = page.get_by_label("Details (case, call or ticket)")
    details.fill("Customer called about a card, ticket 42")
    page.get_by_role("button", name="Open the record").click()


def _check_profile(page: Page, customer: dict, basis: str) -> None:
    expect(page).to_have_url(re.compile(rf"/customers/{customer['id']}$"))
    expect(page.get_by_test_id("customer-name")).to_have_text(customer["full_name"])
    expect(page.locator(".profile-head .meta")).to_contain_text(f"access: {basis}")
    expect(page.get_by_test_id("masked-id")).to_contain_text("•")
    expect(page.get_by_test_id("accounts").locator("tbody tr").first).to_contain_text("Type")
    expect(page.get_by_test_id("cards").locator("tbody tr").first).to_be_visible()
    expect(page.get_by_test_id("transactions").locator("tbody tr").first).to_be_visible()


@pytest.mark.parametrize("username", list(HOMES))
def test_role_signs_in_searches_and_opens_a_profile(live_server, browser, screenshots, username):
    demo = live_server.demo
    account = demo.accounts[username]
    heading, role_label = HOMES[username]
    watch = PageWatch(live_server.base_url)
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    try:
        page = new_watched_page(context, watch)
        sign_in(page, live_server.base_url, username, DEMO_PASSWORD, account.next_code)

        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page.get_by_test_id("whoami")).to_contain_text(role_label)
        watch.remember_dom(page)
        page.screenshot(path=screenshots / f"e2e-{username}-home.png", full_page=True)

        if page.get_by_test_id("customer-search").count() == 0:
            nav = page.get_by_role("navigation", name="Main")
            nav.get_by_role("link", name="Customers").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Find a customer")
        own = username == "manager1"
        customer = demo.portfolio_customer if own else demo.other_customer
        _search_live(page, customer["full_name"], customer["customer_no"])
        watch.remember_dom(page)
        page.screenshot(path=screenshots / f"e2e-{username}-search.png", full_page=True)

        _open_from_results(page, customer)
        if not own:
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            page.screenshot(path=screenshots / f"e2e-{username}-reason.png", full_page=True)
            _state_reason(page, customer)
        _check_profile(page, customer, "portfolio" if own else "stated reason")
        watch.remember_dom(page)
        page.screenshot(path=screenshots / f"e2e-{username}-profile.png", full_page=True)

        shown = watch.full_numbers_shown(demo.card_numbers | demo.id_numbers)
        assert shown == [], f"full card or ID numbers on the pages: {shown}"
        watch.assert_clean()
    finally:
        context.close()


def test_a_card_is_found_by_its_last_four_digits_and_shown_masked(live_server, browser):
    demo = live_server.demo
    watch = PageWatch(live_server.base_url)
    context = browser.new_context()
    try:
        page = new_watched_page(context, watch)
        account = demo.accounts["agent1"]
        sign_in(page, live_server.base_url, "agent1", DEMO_PASSWORD, account.next_code)
        customer = demo.other_customer
        last4 = customer["card_last4"]
        _search_live(page, last4, customer["customer_no"])
        _open_from_results(page, customer)
        if "/reason" in page.url:
            _state_reason(page, customer)
        cards = page.get_by_test_id("cards")
        expect(cards).to_contain_text(last4)
        expect(cards).to_contain_text("••••")
        watch.remember_dom(page)
        assert watch.full_numbers_shown(demo.card_numbers | demo.id_numbers) == []
        watch.assert_clean()
    finally:
        context.close()


def test_sign_in_page_fits_a_phone_screen(live_server, browser, screenshots):
    watch = PageWatch(live_server.base_url)
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    try:
        page = new_watched_page(context, watch)
        page.goto(f"{live_server.base_url}/auth/login")
        expect(page.get_by_role("heading", level=1)).to_have_text("Staff sign-in")
        expect(page.get_by_role("button", name="Continue")).to_be_in_viewport()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow}px wider than the phone screen"
        page.screenshot(path=screenshots / "e2e-sign-in-360px.png", full_page=True)
        watch.assert_clean()
    finally:
        context.close()


def test_an_inline_script_is_reported_as_a_csp_violation(live_server, browser):
    """The CSP watch itself works: an injected inline script is blocked and noticed."""
    watch = PageWatch(live_server.base_url)
    context = browser.new_context()
    try:
        page = new_watched_page(context, watch)
        page.goto(f"{live_server.base_url}/auth/login")
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.__inlineRan = true'; document.body.append(s); }"
        )
        expect(page.get_by_role("heading", level=1)).to_have_text("Staff sign-in")
        page.wait_for_function("() => true")
        assert page.evaluate("window.__inlineRan === undefined"), "inline script ran"
        page.wait_for_timeout(200)
        assert any("script-src" in v for v in watch.csp_violations), watch.csp_violations
        with pytest.raises(AssertionError, match="CSP violations"):
            watch.assert_clean()
    finally:
        context.close()


@pytest.mark.parametrize("username", list(HOMES))
def test_every_page_in_the_main_menu_opens_cleanly(live_server, browser, screenshots, username):
    """Each menu page answers, breaks no CSP rule, logs no error and shows no full number."""
    demo = live_server.demo
    watch = PageWatch(live_server.base_url)
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    try:
        page = new_watched_page(context, watch)
        sign_in(
            page, live_server.base_url, username, DEMO_PASSWORD, demo.accounts[username].next_code
        )
        links = page.get_by_role("navigation", name="Main").get_by_role("link")
        targets = {
            links.nth(i).inner_text(): links.nth(i).get_attribute("href")
            for i in range(links.count())
        }
        assert "Customers" in targets
        for label, href in targets.items():
            response = page.goto(f"{live_server.base_url}{href}")
            assert response is not None and response.ok, f"{label}: {response and response.status}"
            page.wait_for_load_state("load")
            expect(page.get_by_role("heading", level=1).first).to_be_visible()
            watch.remember_dom(page)
            name = re.sub(r"\W+", "-", label.lower()).strip("-")
            page.screenshot(path=screenshots / f"e2e-{username}-menu-{name}.png", full_page=True)
        assert watch.full_numbers_shown(demo.card_numbers | demo.id_numbers) == []
        watch.assert_clean()
    finally:
        context.close()
