"""End to end against a real server: staff over HTTP, the customer's app as a python-socketio
client. Lock/unlock, formal loss + replacement, PIN reset, password reset; then the canary scan
of the server log, the staff socket frames and every database column."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.cards.live import (
    RESET_CODE,
    ServerDb,
    StaffBrowser,
    phone_app,
    staff_socket,
    wait_for,
)
from tests.cards.test_canary import leaks

pytestmark = pytest.mark.e2e
CANARY_PIN = "739162"
CANARY_PASSWORD = "Canary-Pw-Zq8!xK"


def form(staff: StaffBrowser, path: str, page: str, **fields):
    fields.setdefault("reason", "Customer asked on a video call")
    fields.setdefault("request_key", uuid.uuid4().hex)
    response = staff.post(path, fields, page)
    assert response.status_code == 200, response.text[-800:]
    assert "flash-error" not in response.text, response.text[-800:]
    return response


def test_card_services_through_the_socket_client(live_server):
    demo = live_server.demo
    db = ServerDb(live_server.database_url)
    customer = demo.portfolio_customer
    cid = customer["id"]
    phone_number = db.scalar("SELECT phone FROM customers WHERE id = :c", c=cid)
    card = db.scalar("SELECT MIN(id) FROM cards WHERE customer_id = :c AND status = 'active'",
                     c=cid)
    staff = StaffBrowser(live_server.base_url, demo.accounts["manager1"])
    watcher, frames = staff_socket(live_server.base_url, staff, cid)
    phone = phone_app(live_server.base_url, db, phone_number)
    page = f"/customers/{cid}/cards"

    def status_of(card_id):
        return db.scalar("SELECT status FROM cards WHERE id = :c", c=card_id)

    def confirm_on_phone():
        answer = phone.answer(phone.next_task("confirm"))
        assert answer["ok"], answer

    try:
        for kind, expected in (("lock", "locked"), ("unlock", "active")):
            form(staff, f"/customers/{cid}/cards/{card}/requests", page, kind=kind)
            confirm_on_phone()
            wait_for(lambda e=expected: status_of(card) == e, f"card {expected}")
        wait_for(lambda: any(name == "cards:changed" for name, _ in frames),
                 "cards:changed on the staff socket")

        form(staff, f"/customers/{cid}/cards/{card}/requests", page, kind="formal_loss",
             loss_kind="lost")
        confirm_on_phone()
        wait_for(lambda: status_of(card) == "lost", "card lost")
        branch = db.scalar("SELECT id FROM branches WHERE code = 'BJ01'")
        form(staff, f"/customers/{cid}/cards/{card}/replacement", page, delivery="branch",
             branch_id=branch)
        confirm_on_phone()
        order = wait_for(lambda: db.scalar(
            "SELECT id FROM card_replacements WHERE old_card_id = :c AND status = 'ordered'",
            c=card), "replacement ordered")
        new_card = db.scalar("SELECT new_card_id FROM card_replacements WHERE id = :o", o=order)
        for step in ("in_production", "dispatched", "ready_for_pickup"):
            form(staff, f"/customers/{cid}/cards/replacements/{order}/advance", page, step=step)
        form(staff, f"/customers/{cid}/cards/{new_card}/requests", page, kind="activate")
        confirm_on_phone()
        wait_for(lambda: status_of(new_card) == "active", "new card active")

        # A second device for the resets: answers are rate-limited per device (10 a minute).
        phone.sio.disconnect()
        phone = phone_app(live_server.base_url, db, phone_number)
        form(staff, f"/customers/{cid}/credentials/resets", page, kind="pin", card_id=new_card)
        code_task = phone.next_task("code")
        code = db.latest_sms(phone_number, RESET_CODE)
        assert phone.answer(code_task, data={"code": code})["ok"]
        confirm = phone.next_task("confirm")
        assert new_card and "••" in json.dumps(confirm["payload"], ensure_ascii=False)
        assert phone.answer(confirm)["ok"]
        secret = phone.next_task("set_secret")
        assert phone.answer(secret, data={"secret": CANARY_PIN, "repeat": CANARY_PIN})["ok"]
        wait_for(lambda: db.scalar("SELECT pin_hash FROM cards WHERE id = :c", c=new_card),
                 "PIN stored")
        assert db.scalar("SELECT status FROM credential_resets WHERE card_id = :c",
                         c=new_card) == "set"

        last_sms = db.scalar("SELECT MAX(id) FROM sms_outbox")
        form(staff, f"/customers/{cid}/credentials/resets", page, kind="password")
        code_task = phone.next_task("code")
        code = db.latest_sms(phone_number, RESET_CODE, after_id=last_sms)
        assert phone.answer(code_task, data={"code": code})["ok"]
        assert phone.answer(phone.next_task("confirm"))["ok"]
        secret = phone.next_task("set_secret")
        answer = phone.answer(secret, data={"secret": CANARY_PASSWORD,
                                            "repeat": CANARY_PASSWORD})
        assert answer["ok"], answer
        wait_for(lambda: db.scalar(
            "SELECT status FROM credential_resets WHERE customer_id = :c AND kind = 'password'",
            c=cid) == "set", "password set")
        staff_pages = [staff.get(p).text for p in (page, f"/customers/{cid}",
                                                   f"/customers/{cid}/tasks")]
        assert "Set" in staff_pages[0]
    finally:
        phone.sio.disconnect()
        watcher.disconnect()

    found = leaks("server log", live_server.log_path.read_text(errors="replace"))
    found += leaks("staff socket frames", json.dumps(frames, default=str))
    for number, body in enumerate(staff_pages):
        found += leaks(f"staff page {number}", body)
    for column, value in db.every_value():
        found += leaks(f"column {column}", value)
    assert found == []
