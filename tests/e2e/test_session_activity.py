"""In Chromium: requests a page makes by itself (panels loading themselves, polls, refreshes
after socket events) are marked as such, so the idle time-out ignores them; what the staff
member types or clicks is not marked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import PageWatch, new_watched_page, sign_in
from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e
HEADER = "x-background-refresh"


def test_only_the_staff_members_own_requests_count_as_activity(live_server, browser):
    demo = live_server.demo
    customer = demo.portfolio_customer
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    try:
        page = new_watched_page(context, PageWatch(live_server.base_url))
        sign_in(page, live_server.base_url, "manager1", DEMO_PASSWORD,
                demo.accounts["manager1"].next_code)
        htmx_requests = []
        page.on("request", lambda r: htmx_requests.append(r)
                if r.headers.get("hx-request") == "true" else None)

        page.goto(f"{live_server.base_url}/customers/{customer['id']}")
        expect(page.get_by_test_id("panel-slot")).to_have_count(0)  # every panel loaded itself
        loaded = [r for r in htmx_requests if f"/customers/{customer['id']}/" in r.url]
        assert loaded, "the profile's panels did not load"
        assert all(r.headers.get(HEADER) == "1" for r in loaded)

        htmx_requests.clear()
        page.goto(f"{live_server.base_url}/customers/search")
        page.wait_for_load_state("load")
        page.get_by_test_id("customer-search").fill(customer["customer_no"])
        expect(page.get_by_test_id("search-results")).to_contain_text(customer["customer_no"])
        typed = [r for r in htmx_requests if "/customers/search" in r.url]
        assert typed and all(HEADER not in r.headers for r in typed)
    finally:
        context.close()
