"""End to end in Chromium: a staff member on the cards page and the customer in the mobile
web client. Lock and unlock, formal loss and replacement, PIN and password resets; the staff
page follows each step live (socket event -> htmx reload) and never shows a secret."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.cards.live import RESET_CODE, SIGN_IN_CODE, ServerDb
from tests.e2e.browsing import PageWatch, new_watched_page, sign_in
from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e
CANARY_PIN = "739162"
CANARY_PASSWORD = "Canary-Pw-Zq8!xK"


def customer_signs_in(page: Page, base: str, db: ServerDb, phone: str) -> None:
    page.goto(f"{base}/m/sign-in")
    page.locator("input[name=phone]").fill(phone)
    last = db.scalar("SELECT COALESCE(MAX(id), 0) FROM sms_outbox")
    page.locator("form button[type=submit]").click()
    page.locator("input[name=code]").fill(db.latest_sms(phone, SIGN_IN_CODE, after_id=last))
    page.locator("form button[type=submit]").click()
    expect(page.get_by_test_id("pending-tasks").or_(page.get_by_test_id("no-tasks"))) \
        .to_be_visible()


def open_task(page: Page, base: str, title: str) -> None:
    """From the home screen, open the waiting task with this title (it arrives live)."""
    if "/m/" not in page.url or "/m/tasks/" in page.url:
        page.goto(f"{base}/m/")
    # The live announcement or the refreshed list, whichever shows the task first.
    link = page.locator("[data-testid=pending-tasks] a, a.m-announcement").filter(has_text=title)
    expect(link.first).to_be_visible(timeout=15000)
    link.first.click()
    expect(page.get_by_test_id("task-screen")).to_be_visible()
    page.wait_for_load_state("load")  # the task script is bound before anything is tapped


def answer_open_task(page: Page, button: str = "Confirm") -> None:
    page.get_by_role("button", name=button).click()
    expect(page.locator("#task-done")).to_be_visible(timeout=10000)


def staff_action(page: Page, row_last4: str, action: str, reason: str, **selects) -> None:
    row = page.get_by_test_id(f"card-{row_last4}")
    details = row.get_by_test_id(f"action-{action}")
    details.locator("summary").click()
    for name, value in selects.items():
        details.locator(f"select[name={name}]").select_option(value)
    details.locator("input[name=reason]").fill(reason)
    details.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()


def test_staff_and_customer_in_chromium(live_server, browser, screenshots):
    demo, base = live_server.demo, live_server.base_url
    db = ServerDb(live_server.database_url)
    customer = db.one(
        "SELECT c.id, c.phone FROM customers c JOIN staff s ON s.id = c.manager_id "
        "WHERE s.username = 'manager1' ORDER BY c.customer_no LIMIT 1 OFFSET 1")
    cid, phone = customer.id, customer.phone
    card = db.one("SELECT id, pan_last4 FROM cards WHERE customer_id = :c AND status = 'active' "
                  "ORDER BY id LIMIT 1", c=cid)
    watch = PageWatch(base)
    staff_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    phone_ctx = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True)
    try:
        staff = new_watched_page(staff_ctx, watch)
        sign_in(staff, base, "manager1", DEMO_PASSWORD, demo.accounts["manager1"].next_code)
        staff.goto(f"{base}/customers/{cid}")
        staff.get_by_test_id("profile-links").get_by_role("link",
                                                          name="Cards, PIN and password").click()
        expect(staff).to_have_url(re.compile(rf"/customers/{cid}/cards$"))
        mobile = new_watched_page(phone_ctx, watch)
        customer_signs_in(mobile, base, db, phone)
        status = staff.get_by_test_id(f"card-{card.pan_last4}").get_by_test_id("card-status")

        staff_action(staff, card.pan_last4, "lock", "Customer left the card at home")
        open_task(mobile, base, "Lock your card temporarily")
        expect(mobile.get_by_test_id("confirm-details")).to_contain_text(card.pan_last4)
        mobile.screenshot(path=screenshots / "cards-mobile-confirm-lock.png")
        answer_open_task(mobile)
        expect(status).to_have_text("Temporarily locked", timeout=15000)  # live, no reload
        watch.remember_dom(staff)

        staff_action(staff, card.pan_last4, "unlock", "Customer found the card")
        open_task(mobile, base, "Unlock your card")
        answer_open_task(mobile)
        expect(status).to_have_text("Active", timeout=15000)

        last = db.scalar("SELECT COALESCE(MAX(id), 0) FROM sms_outbox")
        staff_action(staff, card.pan_last4, "pin_reset", "Customer forgot the PIN")
        open_task(mobile, base, "Confirm it is you")
        mobile.locator("#task-code").fill(db.latest_sms(phone, RESET_CODE, after_id=last))
        answer_open_task(mobile, "Send code")
        open_task(mobile, base, "Confirm the card PIN reset")
        answer_open_task(mobile)
        open_task(mobile, base, "Set your new PIN")
        mobile.locator("input[name=secret]").fill(CANARY_PIN)
        mobile.locator("input[name=repeat]").fill(CANARY_PIN)
        mobile.screenshot(path=screenshots / "cards-mobile-set-pin.png")
        answer_open_task(mobile, "Set PIN")
        resets = staff.get_by_test_id("resets")
        expect(resets.get_by_test_id("reset-status").first).to_have_text("Set", timeout=15000)
        watch.remember_dom(staff)

        staff_action(staff, card.pan_last4, "formal_loss", "Card stolen on the metro",
                     loss_kind="stolen")
        open_task(mobile, base, "Report your card and block it for good")
        answer_open_task(mobile)
        expect(status).to_have_text("Reported stolen (blocked)", timeout=15000)
        staff_action(staff, card.pan_last4, "replacement", "New card after the theft")
        open_task(mobile, base, "Order a replacement card")
        expect(mobile.get_by_text("debited when you activate the new card")).to_be_visible()
        mobile.screenshot(path=screenshots / "cards-mobile-confirm-replacement.png")
        answer_open_task(mobile)
        expect(staff.get_by_test_id("replacement-state").first).to_have_text("Ordered",
                                                                            timeout=15000)
        expect(staff.get_by_test_id("replacement-fee").first).to_contain_text("reserved")
        staff.screenshot(path=screenshots / "cards-staff-page.png", full_page=True)
        watch.remember_dom(staff)
        mobile.goto(f"{base}/m/cards/")
        expect(mobile.get_by_test_id("m-replacement-status").first).to_have_text("Ordered")
        expect(mobile.get_by_test_id("m-replacement").first).to_contain_text("reserved")
        mobile.screenshot(path=screenshots / "cards-mobile-cards.png", full_page=True)
        watch.remember_dom(mobile)

        # The password reset from a second browser (answers are rate-limited per device).
        tablet_ctx = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True)
        tablet = new_watched_page(tablet_ctx, watch)
        customer_signs_in(tablet, base, db, phone)
        last = db.scalar("SELECT COALESCE(MAX(id), 0) FROM sms_outbox")
        details = staff.get_by_test_id("action-password_reset")
        details.locator("summary").click()
        details.locator("input[name=reason]").fill("Customer locked out of online banking")
        details.locator("button[type=submit]").click()
        expect(staff.locator(".flash-success")).to_be_visible()
        open_task(tablet, base, "Confirm it is you")
        tablet.locator("#task-code").fill(db.latest_sms(phone, RESET_CODE, after_id=last))
        answer_open_task(tablet, "Send code")
        open_task(tablet, base, "Confirm the online-banking password reset")
        answer_open_task(tablet)
        open_task(tablet, base, "Set your new password")
        tablet.locator("input[name=secret]").fill(CANARY_PASSWORD)
        tablet.locator("input[name=repeat]").fill(CANARY_PASSWORD)
        answer_open_task(tablet, "Set password")
        expect(staff.get_by_test_id("resets").get_by_test_id("reset-status").first) \
            .to_have_text("Set", timeout=15000)
        watch.remember_dom(staff)
        tablet_ctx.close()
    finally:
        staff_ctx.close()
        phone_ctx.close()
    watch.assert_clean()
    assert watch.full_numbers_shown(demo.card_numbers) == []
    shown = [where for where, body in watch.bodies.items()
             if CANARY_PIN in body or CANARY_PASSWORD in body]
    assert shown == []
