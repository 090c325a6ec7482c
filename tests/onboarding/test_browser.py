"""The card application in real Chromium and from a Socket.IO device client, on a real server:
approved automatically, flagged then approved by a supervisor, and rejected."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta
from pathlib import Path

import pyotp
import pytest
import requests
import socketio
from cryptography.fernet import Fernet
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text
from stdnum import luhn

from tests.e2e.browsing import PageWatch, new_watched_page, sign_in
from tests.e2e.conftest import ARTIFACTS, DEMO_PASSWORD, browser, live_server, screenshots  # noqa: F401
from tests.onboarding.builders import other_bank_card, photo
from workstation.config import normalise_database_url

pytestmark = pytest.mark.e2e
PHONE_VIEWPORT = {"width": 360, "height": 740}
EXPIRY = (date.today() + timedelta(days=3000)).isoformat()


def _assert_clean(watch: PageWatch) -> None:
    # The mobile shell (templates/mobile/base.html) links no icon, so Chromium asks for
    # /favicon.ico once; that 404 is not a fault of these pages.
    watch.console_errors = [e for e in watch.console_errors if "/favicon.ico" not in e]
    watch.assert_clean()


def _current_code(account) -> str:
    """The code of the current time step, never one used before (a loaded machine can take
    long enough between typing and sending that the previous step's code has lapsed)."""
    totp = pyotp.TOTP(account.secret)
    step = int(time.time() // totp.interval)
    if step <= account._last_step:
        time.sleep((account._last_step + 1) * totp.interval - time.time() + 0.2)
        step = account._last_step + 1
    account._last_step = step
    return totp.at(step * totp.interval)


def _customers(server) -> list[dict]:
    """Three customers of manager1, with their ID numbers decrypted."""
    fernet = Fernet(server.data_key.encode())
    engine = create_engine(normalise_database_url(server.database_url))
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT c.customer_no, c.full_name, c.phone, c.id_number FROM customers c "
            "JOIN staff s ON s.id = c.manager_id WHERE s.username = 'manager1' "
            "ORDER BY c.customer_no LIMIT 3 OFFSET 5")).all()
    engine.dispose()
    return [{"customer_no": r[0], "full_name": r[1], "phone": r[2],
             "id_number": fernet.decrypt(r[3].encode()).decode()} for r in rows]


def _latest_code(server, phone: str) -> str:
    engine = create_engine(normalise_database_url(server.database_url))
    with engine.connect() as conn:
        body = conn.execute(text("SELECT body FROM sms_outbox WHERE phone = :p ORDER BY id DESC"),
                            {"p": phone}).scalars().first()
    engine.dispose()
    return re.search(r"code is (\d{6})", body).group(1)


def _photos(tmp: Path) -> dict[str, str]:
    files = {}
    for slot in ("id_front", "id_back", "selfie"):
        path = tmp / f"{slot}.jpg"
        path.write_bytes(photo())
        files[slot] = str(path)
    return files


def _staff_page(browser, server, username: str, watch: PageWatch) -> Page:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = new_watched_page(context, watch)
    account = server.demo.accounts[username]
    sign_in(page, server.base_url, username, DEMO_PASSWORD, lambda: _current_code(account))
    return page


def _phone_page(browser, server, phone: str, watch: PageWatch) -> Page:  # noqa: F811
    context = browser.new_context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    page = new_watched_page(context, watch)
    page.goto(f"{server.base_url}/m/sign-in")
    page.get_by_label("Mobile number").fill(phone)
    page.get_by_role("button", name="Send code").click()
    page.get_by_label("Code").fill(_latest_code(server, phone))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Waiting for you")).to_be_visible()
    return page


def _open_task(page: Page, base_url: str, title_part: str) -> None:
    page.goto(f"{base_url}/m/")
    page.get_by_test_id("pending-tasks").get_by_role("link", name=re.compile(title_part)).click()
    expect(page.get_by_test_id("task-screen")).to_be_visible()
    page.wait_for_load_state("load")  # the task script binds its buttons once loaded


def _sign_and_set_pin(page: Page, base_url: str, name: str, reference: str, shots) -> str:
    _open_task(page, base_url, "Sign your account agreement")
    expect(page.get_by_test_id("sign-document")).to_contain_text(reference)
    page.get_by_role("button", name="Type name").click()
    expect(page.get_by_label("Your full name")).to_be_visible()
    page.get_by_label("Your full name").fill(name)
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.locator("#task-done")).to_be_visible()
    page.goto(f"{base_url}/m/onboarding/{reference}")
    page.get_by_test_id("m-card-link").click()
    number = re.sub(r"\s", "", page.get_by_test_id("m-card-number").inner_text())
    page.screenshot(path=str(shots / "onboarding-card-details-phone.png"), full_page=True)
    _open_task(page, base_url, "Set the PIN")
    page.get_by_label("New PIN").fill("246813")
    page.get_by_label("Type it again").fill("246813")
    page.get_by_role("button", name="Set PIN").click()
    expect(page.locator("#task-done")).to_be_visible()
    page.goto(f"{base_url}/m/onboarding/{reference}")
    expect(page.get_by_test_id("m-outcome")).to_contain_text("Your card is ready")
    return number


def test_assisted_application_is_approved_and_finished_on_the_phone(
        live_server, browser, screenshots, tmp_path):  # noqa: F811
    server, customer = live_server, _customers(live_server)[0]
    staff_watch, phone_watch = PageWatch(server.base_url), PageWatch(server.base_url)
    staff = _staff_page(browser, server, "manager1", staff_watch)
    staff.goto(f"{server.base_url}/onboarding/")
    staff.get_by_test_id("start-customer-no").fill(customer["customer_no"])
    staff.get_by_test_id("start-application").click()
    reference = staff.get_by_test_id("reference").inner_text()
    staff.get_by_label("ID card valid until").fill(EXPIRY)
    staff.get_by_test_id("save-personal").click()
    for slot, path in _photos(tmp_path).items():
        staff.get_by_test_id(f"file-{slot}").set_input_files(path)
        staff.locator(f"form:has([data-testid=file-{slot}]) button").click()
        expect(staff.get_by_test_id(f"doc-{slot}")).to_be_visible()
    staff.get_by_label("Street address").fill("18 Financial Street")
    staff.get_by_label("City").fill("Beijing")
    staff.get_by_label("Postcode").fill("100033")
    staff.get_by_test_id("save-address").click()
    staff.get_by_label("Occupation").select_option("employee")
    staff.get_by_label("Employer").fill("Acme Trading")
    staff.get_by_label("Purpose of the account").select_option("salary")
    staff.get_by_test_id("save-occupation").click()
    staff.get_by_test_id("class-III").check()
    staff.get_by_test_id("physical-card").check()
    staff.get_by_test_id("save-account").click()
    staff.get_by_test_id("submit-application").click()
    expect(staff.get_by_test_id("status")).to_have_text("Approved: waiting for the signature")
    staff.screenshot(path=str(screenshots / "onboarding-staff-approved.png"), full_page=True)
    phone = _phone_page(browser, server, customer["phone"], phone_watch)
    number = _sign_and_set_pin(phone, server.base_url, customer["full_name"], reference,
                               screenshots)
    assert len(number) == 16 and luhn.is_valid(number)
    staff.reload()
    expect(staff.get_by_test_id("status")).to_have_text("Completed")
    expect(staff.get_by_test_id("card-masked")).to_contain_text(number[-4:])
    staff.get_by_test_id("card-ready").click()
    staff.screenshot(path=str(screenshots / "onboarding-staff-completed.png"), full_page=True)
    staff_watch.remember_dom(staff)
    assert staff_watch.full_numbers_shown({number, customer["id_number"]}) == []
    for watch in (staff_watch, phone_watch):
        _assert_clean(watch)


def _device_token(server, phone: str) -> str:
    started = requests.post(f"{server.base_url}/api/v1/customer/auth/code",
                            json={"phone": phone}, timeout=10).json()
    verified = requests.post(f"{server.base_url}/api/v1/customer/auth/verify", timeout=10,
                             json={"challenge_id": started["challenge_id"],
                                   "code": _latest_code(server, phone),
                                   "device_name": "Test app"}).json()
    return verified["token"]


def _import_list(browser, server, rows: str, tmp: Path) -> None:  # noqa: F811
    watch = PageWatch(server.base_url)
    admin = _staff_page(browser, server, "admin1", watch)
    csv = tmp / "watchlist.csv"
    csv.write_text("name,id_number,list\n" + rows)
    admin.goto(f"{server.base_url}/onboarding/watchlist")
    admin.get_by_test_id("watchlist-file").set_input_files(str(csv))
    admin.get_by_test_id("watchlist-import").click()
    expect(admin.get_by_text("Imported")).to_be_visible()
    admin.context.close()


def _apply_in_app(server, token: str, name: str) -> str:
    """The bank's app fills in every step over the JSON API and submits."""
    api, auth = f"{server.base_url}/api/v1/onboarding", {"Authorization": f"Bearer {token}"}
    reference = requests.post(f"{api}/applications", headers=auth, timeout=10).json()[
        "reference"]
    base = f"{api}/applications/{reference}"
    steps = {"personal": {"full_name": name, "id_expires_on": EXPIRY},
             "address": {"address_line": "5 Nanjing Road", "city": "Shanghai",
                         "postcode": "200001"},
             "occupation": {"occupation": "self_employed", "purpose": "daily_spending"},
             "account": {"account_class": "II", "bound_bank": "Other Bank",
                         "bound_account": other_bank_card(), "bound_holder": name}}
    for step, body in steps.items():
        answer = requests.post(f"{base}/steps/{step}", json=body, headers=auth, timeout=10)
        assert answer.status_code == 200, answer.text
    for slot in ("id_front", "id_back", "selfie"):
        answer = requests.post(f"{base}/documents/{slot}", headers=auth, timeout=10,
                               files={"photo": (f"{slot}.png", photo("PNG"), "image/png")})
        assert answer.status_code == 200, answer.text
    return reference


def _finish_on_socket(server, token: str, name: str) -> None:
    """The app signs and sets the PIN over Socket.IO (task:sync and task:answer)."""
    client = socketio.SimpleClient()
    client.connect(server.base_url, namespace="/customer", auth={"token": token},
                   transports=["websocket"])
    try:
        for kind, data in (("sign", {"method": "typed", "name": name}),
                           ("set_secret", {"secret": "975310", "repeat": "975310"})):
            tasks = client.call("task:sync", {"after_seq": 0}, timeout=10)["tasks"]
            task = next(t for t in tasks if t["kind"] == kind)
            answer = client.call("task:answer", {"id": task["id"], "decision": "accept",
                                                 "payload_hash": task["payload_hash"],
                                                 "data": data}, timeout=10)
            assert answer["ok"], answer
    finally:
        client.disconnect()


def test_flagged_then_approved_by_a_supervisor_and_a_rejected_one(
        live_server, browser, screenshots, tmp_path):  # noqa: F811
    server = live_server
    _, flagged, listed = _customers(server)
    _import_list(browser, server, f"{flagged['full_name']},110101199001010011,pep\n"
                 f"{listed['full_name']},{listed['id_number']},sanctions\n", tmp_path)
    token = _device_token(server, flagged["phone"])
    reference = _apply_in_app(server, token, flagged["full_name"])
    auth = {"Authorization": f"Bearer {token}"}
    api = f"{server.base_url}/api/v1/onboarding/applications/{reference}"
    assert requests.post(f"{api}/submit", headers=auth, timeout=10).json()["status"] == "review"
    watch = PageWatch(server.base_url)
    supervisor = _staff_page(browser, server, "supervisor1", watch)
    supervisor.goto(f"{server.base_url}/onboarding/review")
    supervisor.get_by_test_id("review-queue").get_by_role("link", name=reference).click()
    expect(supervisor.get_by_test_id("decision")).to_contain_text("Name is on the watch-list")
    supervisor.get_by_test_id("review-note").fill("Not the listed person: other ID and age")
    supervisor.screenshot(path=str(screenshots / "onboarding-review.png"), full_page=True)
    supervisor.get_by_test_id("approve").click()
    expect(supervisor.get_by_test_id("queue-empty")).to_be_visible()
    _finish_on_socket(server, token, flagged["full_name"])
    assert requests.get(api, headers=auth, timeout=10).json()["status"] == "completed"
    phone_watch = PageWatch(server.base_url)
    phone = _phone_page(browser, server, listed["phone"], phone_watch)
    rejected = _apply_on_phone(phone, server.base_url, listed, tmp_path)
    expect(rejected.get_by_test_id("m-reason")).to_have_text("compliance checks")
    rejected.screenshot(path=str(screenshots / "onboarding-rejected-phone.png"), full_page=True)
    supervisor.goto(f"{server.base_url}/onboarding/?status=rejected")
    expect(supervisor.get_by_test_id("applications")).to_contain_text(listed["full_name"])
    for w in (watch, phone_watch):
        _assert_clean(w)
    assert watch.full_numbers_shown({listed["id_number"]}) == []


def _apply_on_phone(page: Page, base_url: str, customer: dict, tmp: Path) -> Page:
    """The customer applies alone in the mobile web, step by step."""
    page.goto(f"{base_url}/m/onboarding/")
    page.get_by_test_id("m-start").click()
    page.get_by_test_id("m-id-expiry").fill(EXPIRY)
    page.get_by_test_id("m-save").click()
    for slot, path in _photos(tmp).items():
        page.get_by_test_id(f"m-file-{slot}").set_input_files(path)
        page.get_by_test_id(f"m-upload-{slot}").click()
        expect(page.get_by_test_id(f"m-doc-{slot}")).to_be_visible()
    page.get_by_test_id("m-next").click()
    page.get_by_test_id("m-address").fill("9 Century Avenue")
    page.get_by_test_id("m-city").fill("Shanghai")
    page.get_by_test_id("m-postcode").fill("200120")
    page.get_by_test_id("m-save").click()
    page.get_by_test_id("m-occupation").select_option("retired")
    page.get_by_test_id("m-purpose").select_option("savings")
    page.get_by_test_id("m-save").click()
    page.get_by_test_id("m-class-III").check()
    page.screenshot(path=str(ARTIFACTS / "onboarding-account-step-phone.png"), full_page=True)
    page.get_by_test_id("m-save").click()
    page.get_by_test_id("m-submit").click()
    return page
