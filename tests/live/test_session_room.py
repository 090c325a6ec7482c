"""The session room: chat, signaling, notes, consent evidence, bad input, end and rating."""

from __future__ import annotations

from sqlalchemy import select

from tests.live.builders import bearer, customer_socket, customer_token, emit, frames
from workstation.extensions import db
from workstation.live.models import ConsentRecord
from workstation.live.service import has_active_session
from workstation.models import AuditEvent, ServiceRecord


def test_chat_flows_both_ways_and_is_escaped_on_the_staff_page(app, live):
    ack = emit(live.customer_tab, "live:chat",
               {"session_id": live.session_id, "body": "<script>alert(1)</script> my card"},
               "/customer")
    assert ack["ok"]
    staff_lines = frames(live.agent_tab, "/staff", "live:chat")
    assert staff_lines[0]["message"]["body"] == "<script>alert(1)</script> my card"
    ack = emit(live.agent_tab, "live:chat", {"session_id": live.session_id, "body": "Hello!"},
               "/staff")
    assert ack["ok"]
    assert frames(live.customer_tab, "/customer", "live:chat")[-1]["message"]["body"] == "Hello!"
    page = live.agent_client.get(f"/live/sessions/{live.session_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; my card" in page
    assert "<script>alert(1)</script>" not in page


def test_oversize_and_empty_chat_get_an_error_ack_and_nothing_is_broadcast(app, live):
    for body in ("x" * 2001, "   ", None, 12):
        ack = emit(live.customer_tab, "live:chat", {"session_id": live.session_id, "body": body},
                   "/customer")
        assert not ack["ok"]
    assert emit(live.customer_tab, "live:chat",
                {"session_id": live.session_id, "body": "y" * 2000}, "/customer")["ok"]
    lines = frames(live.agent_tab, "/staff", "live:chat")
    assert len(lines) == 1 and len(lines[0]["message"]["body"]) == 2000


def test_malformed_events_get_error_acks_and_the_server_keeps_running(app, live):
    bad = [
        ("live:chat", "not an object"),
        ("live:chat", ["list"]),
        ("live:chat", {"session_id": "1", "body": "hi"}),
        ("live:chat", {"body": "hi"}),
        ("live:signal", {"session_id": live.session_id, "type": "offer", "sdp": 5}),
        ("live:signal", {"session_id": live.session_id, "type": "offer", "sdp": "junk"}),
        ("live:signal", {"session_id": live.session_id, "type": "nonsense"}),
        ("live:signal", {"session_id": live.session_id, "type": "candidate",
                         "candidate": {"candidate": "x", "sdpMLineIndex": "zero"}}),
        ("live:consent", {"session_id": live.session_id, "kind": "media", "granted": "yes"}),
        ("live:media", {"session_id": live.session_id, "state": "dancing"}),
        ("live:form", {"session_id": live.session_id, "field": "nope"}),
    ]
    for event, payload in bad:
        ack = emit(live.customer_tab, event, payload, "/customer")
        assert ack["ok"] is False, (event, payload)
        assert ack["error"]["message"]
    assert frames(live.agent_tab, "/staff") == []
    assert emit(live.customer_tab, "live:chat", {"session_id": live.session_id, "body": "ok"},
                "/customer")["ok"]


def test_someone_elses_session_is_refused(app, world, live):
    other_token = customer_token(app, world.customers[1].phone)
    intruder = customer_socket(app, other_token)
    for event, payload in [
        ("live:join", {"session_id": live.session_id}),
        ("live:chat", {"session_id": live.session_id, "body": "hi"}),
        ("live:signal", {"session_id": live.session_id, "type": "answer", "sdp": "v=0\r\n"}),
    ]:
        ack = emit(intruder, event, payload, "/customer")
        assert ack == {"ok": False, "error": {"code": "not_your_session",
                                              "message": "This is not your session."}}
    assert frames(live.agent_tab, "/staff") == []
    response = app.test_client().get(f"/api/v1/live/sessions/{live.session_id}",
                                     headers=bearer(other_token))
    assert response.status_code == 403


def test_signaling_is_relayed_between_agent_and_customer(app, live):
    offer = {"session_id": live.session_id, "type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 x\r\n"}
    assert emit(live.agent_tab, "live:signal", offer, "/staff")["ok"]
    got = frames(live.customer_tab, "/customer", "live:signal")
    assert got == [{**offer, "from": "staff"}]
    candidate = {"session_id": live.session_id, "type": "candidate",
                 "candidate": {"candidate": "candidate:1 1 udp 1 127.0.0.1 5000 typ host",
                               "sdpMid": "0", "sdpMLineIndex": 0}}
    assert emit(live.customer_tab, "live:signal", candidate, "/customer")["ok"]
    assert frames(live.agent_tab, "/staff", "live:signal")[0]["candidate"]["sdpMid"] == "0"


def test_consent_is_stored_with_the_wording_and_an_audit_event(app, live):
    ack = emit(live.customer_tab, "live:consent",
               {"session_id": live.session_id, "kind": "media", "granted": True}, "/customer")
    assert ack["ok"]
    assert frames(live.agent_tab, "/staff", "live:consent")[0]["granted"] is True
    with app.app_context():
        record = db.session.scalar(select(ConsentRecord))
        assert record.granted and "camera" in record.wording
        event = db.session.get(AuditEvent, record.audit_event_id)
        assert event.action == "live.consent.media" and event.outcome == "granted"


def test_no_camera_leaves_a_visible_notice_in_the_chat(app, live):
    ack = emit(live.customer_tab, "live:media",
               {"session_id": live.session_id, "state": "no-camera"}, "/customer")
    assert ack["ok"]
    notices = [f["message"]["body"] for f in frames(live.agent_tab, "/staff", "live:chat")]
    assert any("continues in chat" in n for n in notices)


def test_notes_stay_with_staff(app, live):
    response = live.agent_client.post(f"/live/sessions/{live.session_id}/notes",
                                      data={"body": "Customer travels next week"})
    assert "Customer travels next week" in response.get_data(as_text=True)
    assert all("travels" not in str(f) for f in frames(live.customer_tab, "/customer"))
    state = emit(live.customer_tab, "live:join", {"session_id": live.session_id}, "/customer")
    assert "travels" not in str(state)


def test_end_writes_service_history_and_customer_rates(app, world, live):
    with app.app_context():
        assert has_active_session(world.staff["agent"].id, live.customer_id)
    response = live.agent_client.post(f"/live/sessions/{live.session_id}/end",
                                      data={"outcome": "resolved", "note": "Card locked"})
    assert response.status_code == 302
    assert frames(live.customer_tab, "/customer", "live:ended")[0]["ended_by"] == "staff"
    with app.app_context():
        assert not has_active_session(world.staff["agent"].id, live.customer_id)
        record = db.session.scalar(select(ServiceRecord))
        assert (record.outcome, record.summary, record.customer_id) == (
            "resolved", "Card locked", live.customer_id)
    client = app.test_client()
    url = f"/api/v1/live/sessions/{live.session_id}/rating"
    assert client.post(url, json={"score": 6}, headers=bearer(live.customer_token)) \
        .status_code == 422
    rated = client.post(url, json={"score": 5, "comment": "Quick"},
                        headers=bearer(live.customer_token))
    assert rated.status_code == 201
    assert client.post(url, json={"score": 4}, headers=bearer(live.customer_token)) \
        .status_code == 409
    ack = emit(live.customer_tab, "live:chat", {"session_id": live.session_id, "body": "hi"},
               "/customer")
    assert ack["error"]["code"] == "session_ended"


def test_customer_hangs_up_then_agent_records_the_outcome(app, live):
    assert emit(live.customer_tab, "live:end", {"session_id": live.session_id}, "/customer")["ok"]
    assert frames(live.agent_tab, "/staff", "live:ended")[0]["ended_by"] == "customer"
    page = live.agent_client.get(f"/live/sessions/{live.session_id}").get_data(as_text=True)
    assert "Record outcome" in page
    live.agent_client.post(f"/live/sessions/{live.session_id}/end",
                           data={"outcome": "follow_up", "note": "Call back"})
    with app.app_context():
        records = db.session.scalars(select(ServiceRecord)).all()
        assert [(r.outcome, r.summary) for r in records] == [("follow_up", "Call back")]


def test_ids_beyond_any_row_answer_not_found(app, live):
    huge = 10**12
    assert live.agent_client.get(f"/live/sessions/{huge}").status_code == 404
    api = app.test_client()
    assert api.get(f"/api/v1/live/sessions/{huge}",
                   headers=bearer(live.customer_token)).status_code == 404
    ack = emit(live.customer_tab, "live:join", {"session_id": huge}, "/customer")
    assert ack["error"]["code"] == "no_such_session"
    moved = live.agent_client.post(f"/live/sessions/{live.session_id}/transfer",
                                   data={"to_staff_id": str(huge), "note": "please take"},
                                   follow_redirects=True)
    assert moved.status_code == 200
