"""The mobile web client in Chromium at 360 px: sign in by code, a task arrives live, sign it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.channel.builders import device_token, latest_code, push
from tests.channel.servers import Phone, Server, StaffBrowser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}


@pytest.fixture
def server(app, database_url, data_key):
    running = Server("browser", database_url, data_key).start()
    yield running
    running.kill()


def _watched(page):
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    return page


@pytest.fixture
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(chromium):
    return _watched(chromium.new_context(**PHONE).new_page())


@pytest.fixture
def desk_page(chromium):
    return _watched(chromium.new_context(viewport={"width": 1280, "height": 900}).new_page())


def _staff_sign_in(page, base: str, staff) -> None:
    page.goto(base + "/auth/login")
    page.fill("input[name=username]", staff.username)
    page.fill("input[name=password]", staff.password)
    page.click("button[type=submit]")
    page.fill("input[name=code]", staff.next_code())
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_be_visible()


def _count_statuses(page) -> None:
    """From now on, window.statusesSeen counts the task statuses the page's socket receives."""
    page.evaluate("""() => { window.statusesSeen = 0;
        window.cowStaffSocket.on("task:status", () => { window.statusesSeen += 1; }); }""")


@pytest.mark.e2e
def test_customer_signs_in_gets_a_task_live_and_signs(app, world, server, phone_page,
                                                      artifacts_dir):
    page, wang = phone_page, world.customers[0]
    page.goto(server.url + "/m/")
    page.fill("input[name=phone]", wang.phone)
    page.screenshot(path=artifacts_dir / "channel-sign-in.png")
    page.click("text=Send code")
    page.fill("input[name=code]", latest_code(app, wang.phone))
    page.click("button:has-text('Sign in')")
    expect(page.get_by_text("Hello, Wang Fang")).to_be_visible()
    expect(page.get_by_test_id("no-tasks")).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-socket", "connected")
    staff = StaffBrowser(world.staff["manager"]).sign_in(server.url)
    assert staff.send_message(server.url, wang.id, "Please bring your ID card").ok
    announcement = page.locator("[data-announced-task]")
    expect(announcement).to_have_count(1)
    expect(page.get_by_test_id("pending-tasks")).to_contain_text("A message from your bank")
    page.screenshot(path=artifacts_dir / "channel-home-task.png")
    signing = push(app, wang.id, "sign", {"document_title": "Debit card agreement",
                                          "document_text": "I agree to the terms of the card."})
    page.goto(f"{server.url}/m/tasks/{signing['id']}")
    expect(page.get_by_test_id("sign-document")).to_contain_text("I agree")
    box = page.locator("#sign-canvas").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 25, box["y"] + 40 + (step % 3) * 30)
    page.mouse.up()
    page.screenshot(path=artifacts_dir / "channel-sign-task.png")
    page.click("button[data-decision=accept]")
    expect(page.locator("#task-done")).to_have_text("Done. Thank you.")
    page.wait_for_url(server.url + "/m/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.problems == []
    answered = staff.http.get(f"{server.url}/customers/{wang.id}/tasks", timeout=10).text
    assert "Signed (drawn)" in answered


@pytest.mark.e2e
def test_staff_panel_follows_the_answer_live(app, world, server, desk_page, artifacts_dir):
    page, wang = desk_page, world.customers[0]
    task = push(app, wang.id, "confirm", {"summary": "Lock card ending 4321 for 24 hours",
                                           "details": [{"label": "Card", "value": "•••• 4321"}]})
    _staff_sign_in(page, server.url, world.staff["manager"])
    page.goto(f"{server.url}/customers/{wang.id}")  # the profile loads the task panel
    row = page.get_by_test_id("task-panel").locator(f"tr[data-task-id='{task['id']}']")
    expect(row).to_have_attribute("data-status", "pending")
    expect(row).to_contain_text("Lock card ending 4321 for 24 hours")
    expect(page.locator("body")).to_have_attribute("data-watching-tasks", str(wang.id))
    phone = Phone(device_token(app, wang.phone))
    phone.connect(server.url)
    expect(row).to_have_attribute("data-status", "delivered")
    answered = phone.client.call("task:answer", {
        "id": task["id"], "payload_hash": task["payload_hash"], "decision": "accept",
        "data": {}}, namespace="/customer", timeout=10)
    assert answered["status"] == "completed"
    expect(row).to_have_attribute("data-status", "completed")
    expect(row).to_contain_text("Confirmed")
    page.screenshot(path=artifacts_dir / "channel-staff-panel.png", full_page=True)
    phone.disconnect()
    assert page.problems == []


@pytest.mark.e2e
def test_staff_panel_refreshes_only_for_what_it_does_not_show(app, world, server, desk_page,
                                                               artifacts_dir):
    """The panel asks the server again only when a status is news to it: not for the task it
    just sent (its answer already shows it), not for another customer's task, and once after
    the socket was away while something changed."""
    page, wang, li = desk_page, world.customers[0], world.customers[1]
    manager = world.staff["manager"]
    _staff_sign_in(page, server.url, manager)
    panel_url = f"{server.url}/customers/{wang.id}/tasks"
    page.goto(panel_url)
    expect(page.locator("body")).to_have_attribute("data-watching-tasks", str(wang.id))
    refreshes = []
    page.on("request", lambda r: r.method == "GET" and r.url == panel_url
            and refreshes.append(r.url))
    _count_statuses(page)

    page.fill("input[name=text]", "Please bring your ID card")
    page.click("button:has-text('Send to phone')")
    expect(page.locator("tr[data-status=pending]")).to_contain_text("A message from your bank")
    page.wait_for_function("window.statusesSeen >= 1")
    page.wait_for_timeout(300)
    assert refreshes == []  # the send's own answer showed its status

    other = StaffBrowser(manager).sign_in(server.url)
    assert other.send_message(server.url, li.id, "Your statement is ready").ok
    page.wait_for_function("window.statusesSeen >= 2")  # Li Wei's task, in the manager's room
    page.wait_for_timeout(300)
    assert refreshes == []

    phone = Phone(device_token(app, wang.phone))
    phone.connect(server.url)  # the phone acknowledges: delivered is news to the panel
    expect(page.locator("tr[data-status=delivered]")).to_have_count(1)
    assert len(refreshes) == 1
    phone.disconnect()

    page.evaluate("window.cowStaffSocket.disconnect()")
    expect(page.locator("body")).to_have_attribute("data-watching-tasks", "")
    missed = push(app, wang.id, "notice", {"message": "Sent while the page was offline"})
    page.evaluate("window.cowStaffSocket.connect()")
    expect(page.locator(f"tr[data-task-id='{missed['id']}']")).to_have_attribute(
        "data-status", "pending")
    expect(page.locator("body")).to_have_attribute("data-watching-tasks", str(wang.id))
    page.wait_for_timeout(300)
    assert len(refreshes) == 2
    page.screenshot(path=artifacts_dir / "channel-staff-panel-live.png", full_page=True)
    assert page.problems == []


@pytest.mark.e2e
def test_a_refused_withdrawal_says_why(app, world, server, desk_page):
    """The task was closed while the page was offline: the Withdraw button it still shows is
    refused with the reason, and the panel shows the task as it is."""
    page, wang = desk_page, world.customers[0]
    task = push(app, wang.id, "notice", {"message": "Your card is ready"})
    _staff_sign_in(page, server.url, world.staff["manager"])
    page.goto(f"{server.url}/customers/{wang.id}/tasks")
    expect(page.locator("body")).to_have_attribute("data-watching-tasks", str(wang.id))
    page.evaluate("window.cowStaffSocket.disconnect()")
    phone = Phone(device_token(app, wang.phone))
    phone.connect(server.url)
    assert phone.client.call("task:answer", {"id": task["id"], "payload_hash": task["payload_hash"],
                                             "decision": "accept", "data": {}},
                             namespace="/customer", timeout=10)["status"] == "completed"
    phone.disconnect()
    page.click("button:has-text('Withdraw')")
    expect(page.get_by_role("alert")).to_have_text("This task is already completed.")
    expect(page.locator(f"tr[data-task-id='{task['id']}']")).to_have_attribute(
        "data-status", "completed")
    # Chromium logs the 409 itself as a failed resource; nothing else went wrong.
    assert [p for p in page.problems if "status of 409" not in p] == []


@pytest.mark.e2e
def test_cards_page_reloads_for_its_own_customer_only(app, world, server, desk_page):
    """Statuses of tasks the staff member sent to another customer reach their page too (their
    own room); the cards page of this customer does not reload, or audit a view, for them."""
    page, wang, li = desk_page, world.customers[0], world.customers[1]
    manager = world.staff["manager"]
    _staff_sign_in(page, server.url, manager)
    cards_url = f"{server.url}/customers/{wang.id}/cards"
    page.goto(cards_url)
    expect(page.get_by_test_id("cards-panel")).to_be_visible()
    page.wait_for_function("window.cowStaffSocket && window.cowStaffSocket.connected")
    page.wait_for_load_state("networkidle")  # the reload every connect makes has landed
    reloads = []
    page.on("request", lambda r: r.url == cards_url and r.headers.get("hx-request") == "true"
            and reloads.append(r.url))
    _count_statuses(page)
    other = StaffBrowser(manager).sign_in(server.url)
    assert other.send_message(server.url, li.id, "Your statement is ready").ok
    page.wait_for_function("window.statusesSeen >= 1")
    page.wait_for_timeout(300)
    assert reloads == []
    assert other.send_message(server.url, wang.id, "About your new card").ok
    page.wait_for_function("window.statusesSeen >= 2")
    page.wait_for_timeout(300)
    assert reloads == [cards_url]
    assert page.problems == []
