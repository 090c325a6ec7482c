"""Customers sign in with phone number + one-time code, on the mobile web and in the app."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from tests.channel.builders import api_sign_in, latest_code, web_sign_in
from workstation.customer_auth.models import SignInChallenge, SmsOutboxMessage
from workstation.extensions import db
from workstation.types import utcnow


def test_mobile_web_sign_in_reaches_home(client, app, world):
    wang = world.customers[0]
    assert client.get("/m/").status_code == 302
    page = web_sign_in(client, app, wang.phone)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Hello, Wang Fang" in text
    assert "Nothing is waiting for you" in text


def test_code_works_once(client, app, world):
    wang = world.customers[0]
    web_sign_in(client, app, wang.phone)
    code = latest_code(app, wang.phone)
    client.post("/m/sign-out")
    again = client.post("/m/sign-in/code", data={"code": code})
    assert again.status_code == 302  # the challenge left the session: start over
    started = client.post("/api/v1/customer/auth/code", json={"phone": wang.phone})
    with app.app_context():
        first = db.session.scalar(select(SignInChallenge).order_by(SignInChallenge.id))
        public_id = first.public_id
    reused = client.post("/api/v1/customer/auth/verify",
                         json={"challenge_id": public_id, "code": code})
    assert reused.status_code == 401
    assert "already used" in reused.json["detail"]
    assert started.status_code == 202


def test_five_wrong_attempts_lock_the_code(client, app, world):
    li = world.customers[1]
    client.post("/m/sign-in", data={"phone": li.phone})
    code = latest_code(app, li.phone)
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        page = client.post("/m/sign-in/code", data={"code": wrong})
        assert page.status_code == 401
        assert f"{left} attempt(s) left" in page.get_data(as_text=True)
    last = client.post("/m/sign-in/code", data={"code": wrong})
    assert "Too many wrong attempts" in last.get_data(as_text=True)
    right = client.post("/m/sign-in/code", data={"code": code})
    assert right.status_code == 401
    assert client.get("/m/").status_code == 302


def test_expired_code_is_refused(client, app, world):
    li = world.customers[1]
    client.post("/m/sign-in", data={"phone": li.phone})
    with app.app_context():
        db.session.execute(update(SignInChallenge).values(
            expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    page = client.post("/m/sign-in/code", data={"code": latest_code(app, li.phone)})
    assert page.status_code == 401
    assert "expired" in page.get_data(as_text=True)


def test_unknown_number_gets_the_same_answer_and_no_text(client, app, world):
    answer = client.post("/api/v1/customer/auth/code", json={"phone": "+86 135 0000 9999"})
    assert answer.status_code == 202
    refused = client.post("/api/v1/customer/auth/verify",
                          json={"challenge_id": answer.json["challenge_id"], "code": "123456"})
    assert refused.status_code == 401
    with app.app_context():
        assert db.session.scalar(select(func.count(SmsOutboxMessage.id))) == 0


def test_bad_input_is_a_clear_4xx(client, world):
    for body in (None, [], {"phone": 5}, {"phone": "not a phone"}, {}):
        answer = client.post("/api/v1/customer/auth/code", json=body)
        assert answer.status_code == 422, body
        assert answer.json["detail"]
    unknown = client.post("/api/v1/customer/auth/verify",
                          json={"challenge_id": "nope", "code": "123456"})
    assert unknown.status_code == 404


def test_codes_per_phone_are_limited(client, app, world):
    zhang = world.customers[2]
    with app.app_context():
        for _ in range(5):
            from workstation.customer_auth.service import request_code

            request_code(zhang.phone)
    answer = client.post("/api/v1/customer/auth/code", json={"phone": zhang.phone})
    assert answer.status_code == 429


def test_app_token_signs_in_and_revocation_stops_it(client, app, world):
    wang = world.customers[0]
    signed_in = api_sign_in(client, app, wang.phone)
    headers = {"Authorization": f"Bearer {signed_in['token']}"}
    me = client.get("/api/v1/customer/auth/me", headers=headers)
    assert me.status_code == 200
    assert me.json["customer"]["name"] == "Wang Fang"
    assert "8001" in me.json["customer"]["phone"] and "0013" not in me.json["customer"]["phone"]
    assert client.get("/m/", headers=headers).status_code == 200
    assert client.post("/api/v1/customer/auth/sign-out", headers=headers).status_code == 204
    gone = client.get("/api/v1/customer/auth/me", headers=headers)
    assert gone.status_code == 401
    assert gone.headers["WWW-Authenticate"].startswith("Bearer")


def test_customer_revokes_another_device(client, app, world):
    wang = world.customers[0]
    phone = api_sign_in(client, app, wang.phone, "Phone")
    tablet = api_sign_in(client, app, wang.phone, "Tablet")
    headers = {"Authorization": f"Bearer {phone['token']}"}
    listed = client.get("/api/v1/customer/auth/devices", headers=headers).json
    assert {d["name"] for d in listed["devices"]} == {"Phone", "Tablet"}
    url = f"/api/v1/customer/auth/devices/{tablet['device']['id']}"
    assert client.delete(url, headers=headers).status_code == 204
    tablet_headers = {"Authorization": f"Bearer {tablet['token']}"}
    assert client.get("/api/v1/customer/auth/me", headers=tablet_headers).status_code == 401
    other = world.customers[1]
    foreign = api_sign_in(client, app, other.phone)
    url = f"/api/v1/customer/auth/devices/{foreign['device']['id']}"
    assert client.delete(url, headers=headers).status_code == 404


def test_cookie_session_needs_csrf_on_api_posts(client, app, world):
    web_sign_in(client, app, world.customers[0].phone)
    refused = client.post("/api/v1/customer/auth/sign-out", csrf=False)
    assert refused.status_code == 400
    assert client.get("/api/v1/customer/auth/me").status_code == 200


def test_sms_outbox_page_is_for_staff_in_demo_mode(client, app, world, sign_in):
    wang = world.customers[0]
    client.post("/api/v1/customer/auth/code", json={"phone": wang.phone})
    assert client.get("/demo/sms-outbox").status_code == 302
    sign_in(world.staff["agent"])
    page = client.get("/demo/sms-outbox")
    assert "your sign-in code is" in page.get_data(as_text=True)
    as_json = client.get(f"/demo/sms-outbox?format=json&phone={wang.phone}").json
    assert as_json["messages"][0]["phone"] == "+8613800138001"
    app.config["DEMO_MODE"] = False
    assert client.get("/demo/sms-outbox").status_code == 404
