"""Invites: a manager invites a portfolio customer by link, QR code or 6-digit code."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from tests.live.builders import bearer, customer_token, customer_web, staff_client
from workstation.extensions import db
from workstation.live.models import Invite
from workstation.types import utcnow


def _invite(app, world, customer=0, lifetime="15", message=""):
    manager = staff_client(app, world.staff["manager"])
    page = manager.post("/live/invites", data={
        "customer_id": world.customers[customer].id, "topic": "new_card",
        "lifetime": lifetime, "message": message})
    assert page.status_code == 200, page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    code = re.search(r'data-testid="invite-code">(\d{6})<', html).group(1)
    link = re.search(r'data-testid="invite-link">([^<]+)<', html).group(1)
    assert 'src="data:image/svg+xml' in html  # the QR code
    return manager, code, link


def test_customer_joins_by_code_and_the_manager_serves(app, world):
    manager, code, _link = _invite(app, world)
    token = customer_token(app, world.customers[0].phone)
    joined = app.test_client().post("/api/v1/live/invites/redeem", json={"code": code},
                                    headers=bearer(token))
    assert joined.status_code == 201
    session = joined.json
    assert (session["topic"], session["agent_name"]) == ("new_card", "Manager1")
    room = manager.get(f"/live/sessions/{session['id']}")
    assert room.status_code == 200 and "Wang Fang" in room.get_data(as_text=True)
    again = app.test_client().post("/api/v1/live/invites/redeem", json={"code": code},
                                   headers=bearer(token))
    assert again.status_code == 404
    assert again.json["detail"] == "This invite was already used or withdrawn."


def test_link_opens_a_confirm_page_then_the_session(app, world):
    _manager, _code, link = _invite(app, world)
    path = link.split("localhost", 1)[1]
    browser = customer_web(app, world.customers[0].phone)
    assert "Join now" in browser.get(path).get_data(as_text=True)
    joined = browser.post(path)
    assert joined.status_code == 302 and "/m/live/s/" in joined.headers["Location"]
    page = browser.get(joined.headers["Location"]).get_data(as_text=True)
    assert "Use your camera and microphone?" in page


def test_the_invite_message_reaches_the_customer_and_the_manager_finds_the_session(app, world):
    note = "About the mortgage documents you asked for"
    manager, _code, link = _invite(app, world, message=note)
    assert note in manager.get("/live/invites").get_data(as_text=True)  # the open invite
    path = link.split("localhost", 1)[1]
    browser = customer_web(app, world.customers[0].phone)
    before = browser.get(path).get_data(as_text=True)
    assert note in before and "Manager1 invited you to a live session: new card." in before
    joined = browser.post(path)
    session_id = int(joined.headers["Location"].rsplit("/", 1)[1])
    assert note in browser.get(joined.headers["Location"]).get_data(as_text=True)
    token = customer_token(app, world.customers[0].phone)
    api = app.test_client().get(f"/api/v1/live/sessions/{session_id}", headers=bearer(token))
    assert api.json["invite_message"] == note
    invites_page = manager.get("/live/invites").get_data(as_text=True)
    assert f'href="/live/sessions/{session_id}"' in invites_page  # "Your live sessions now"
    assert note not in invites_page.split('data-testid="open-invites"')[1]  # used: not open


def test_expired_unknown_and_foreign_invites_are_refused(app, world):
    _manager, code, _ = _invite(app, world)
    with app.app_context():
        db.session.execute(update(Invite).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    wang = customer_web(app, world.customers[0].phone)
    expired = wang.post("/m/live/invite", data={"code": code})
    assert expired.status_code == 404
    assert "This invite has expired" in expired.get_data(as_text=True)
    unknown = wang.post("/m/live/invite", data={"code": "12 34 5"})
    assert unknown.status_code == 404
    assert "This invite code is not valid." in unknown.get_data(as_text=True)
    _manager, code_for_wang, _ = _invite(app, world)
    li = customer_token(app, world.customers[1].phone)
    foreign = app.test_client().post("/api/v1/live/invites/redeem", json={"code": code_for_wang},
                                     headers=bearer(li))
    assert foreign.status_code == 404


def test_wrong_codes_count_towards_a_limit(app, world):
    _manager, good_code, _ = _invite(app, world)
    token = customer_token(app, world.customers[0].phone)
    client = app.test_client()
    bad = "000000" if good_code != "000000" else "111111"
    statuses = [client.post("/api/v1/live/invites/redeem", json={"code": bad},
                            headers=bearer(token)).status_code for _ in range(5)]
    assert statuses == [404] * 5
    blocked = client.post("/api/v1/live/invites/redeem", json={"code": good_code},
                          headers=bearer(token))
    assert blocked.status_code == 429


def test_managers_invite_only_their_own_customers(app, world, client, sign_in):
    manager = staff_client(app, world.staff["manager"])
    foreign = manager.post("/live/invites", data={
        "customer_id": world.customers[2].id, "topic": "card", "lifetime": "15"})
    assert foreign.status_code == 403
    assert "own portfolio" in foreign.get_data(as_text=True)
    bad = manager.post("/live/invites", data={
        "customer_id": world.customers[0].id, "topic": "card", "lifetime": "99999"})
    assert bad.status_code == 422
    sign_in(world.staff["agent"])
    assert client.get("/live/invites").status_code == 403


def test_withdrawn_invite_no_longer_works(app, world):
    manager, code, _ = _invite(app, world)
    with app.app_context():
        invite_id = db.session.scalar(db.select(Invite.id))
    assert manager.post(f"/live/invites/{invite_id}/cancel").status_code == 302
    token = customer_token(app, world.customers[0].phone)
    refused = app.test_client().post("/api/v1/live/invites/redeem", json={"code": code},
                                     headers=bearer(token))
    assert refused.status_code == 404
