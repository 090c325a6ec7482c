"""Supervisor board, silent join, transfer with a note, and access for the serving agent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from tests.live.builders import emit, frames, staff_client, staff_socket
from workstation.extensions import db
from workstation.live.models import LiveSession, SessionTransfer
from workstation.live.service import has_active_session
from workstation.types import utcnow


def test_board_shows_queue_wait_sessions_and_handle_time(app, world, live):
    with app.app_context():
        db.session.execute(update(LiveSession).values(started_at=utcnow() - timedelta(minutes=6)))
        db.session.commit()
    live.agent_client.post(f"/live/sessions/{live.session_id}/end", data={"outcome": "resolved"})
    supervisor = staff_client(app, world.staff["supervisor"])
    page = supervisor.get("/live/board").get_data(as_text=True)
    assert 'data-testid="board-aht">6:00<' in page or 'data-testid="board-aht">6:01<' in page
    assert 'data-testid="board-queue">0<' in page
    assert 'data-testid="board-active">0<' in page
    assert staff_client(app, world.staff["agent"]).get("/live/board").status_code == 403


def test_board_lists_active_sessions_per_agent(app, world, live):
    supervisor = staff_client(app, world.staff["supervisor"])
    html = supervisor.get("/live/board", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert html.lstrip().startswith('<div id="live-board"')
    assert f'data-testid="monitor-{live.session_id}"' in html
    assert f'<tr data-staff="{world.staff["agent"].id}"><td>Agent1' in html
    assert '<td class="num">1</td><td class="num">2</td>' in html


def test_silent_join_tells_the_customer(app, world, live):
    supervisor = staff_client(app, world.staff["supervisor"])
    tab = staff_socket(app, supervisor)
    assert emit(tab, "live:board:watch", {}, "/staff")["ok"]
    assert supervisor.post(f"/live/sessions/{live.session_id}/monitor").status_code == 302
    received = live.customer_tab.get_received("/customer")
    notices = [r["args"][0] for r in received if r["name"] == "live:chat"]
    assert "A supervisor has joined" in notices[0]["message"]["body"]
    people = [r["args"][0] for r in received if r["name"] == "live:participants"][-1][
        "participants"]
    assert {"name": "Supervisor1", "role": "supervisor", "silent": True} in people
    ack = emit(tab, "live:join", {"session_id": live.session_id}, "/staff")
    assert ack["ok"] and ack["is_agent"] is False
    refused = emit(tab, "live:signal", {"session_id": live.session_id, "type": "offer",
                                        "sdp": "v=0\r\n"}, "/staff")
    assert refused["error"]["code"] == "not_the_agent"
    assert frames(tab, "/staff", "live:board")


def test_transfer_hands_over_with_a_note(app, world, live):
    supervisor = world.staff["supervisor"]
    target_client = staff_client(app, supervisor)
    target_tab = staff_socket(app, target_client)
    response = live.agent_client.post(f"/live/sessions/{live.session_id}/transfer", data={
        "to_staff_id": supervisor.id, "note": "Wants a fee waived"})
    assert response.status_code == 302
    offered = frames(target_tab, "/staff", "live:transfer")
    assert offered == [{"session_id": live.session_id, "from_name": "Agent1",
                        "note": "Wants a fee waived"}]
    assert frames(live.agent_tab, "/staff", "live:transferred")[0]["to_name"] == "Supervisor1"
    assert "You are now talking to Supervisor1." in str(frames(live.customer_tab, "/customer"))
    with app.app_context():
        assert has_active_session(supervisor.id, live.customer_id)
        assert not has_active_session(world.staff["agent"].id, live.customer_id)
        move = db.session.scalar(select(SessionTransfer))
        assert move.note == "Wants a fee waived"
    assert live.agent_client.get(f"/live/sessions/{live.session_id}").status_code == 403
    assert target_client.get(f"/live/sessions/{live.session_id}").status_code == 200
    ack = emit(live.agent_tab, "live:chat", {"session_id": live.session_id, "body": "hi"},
               "/staff")
    assert ack["error"]["code"] == "not_a_participant"
    assert emit(target_tab, "live:join", {"session_id": live.session_id}, "/staff")["is_agent"]
    live.agent_tab.get_received("/staff")
    assert emit(live.customer_tab, "live:chat", {"session_id": live.session_id,
                                                 "body": "still there?"}, "/customer")["ok"]
    assert frames(live.agent_tab, "/staff") == []
    assert frames(target_tab, "/staff", "live:chat")[-1]["message"]["body"] == "still there?"


def test_transfer_needs_a_note_and_a_real_colleague(app, world, live):
    url = f"/live/sessions/{live.session_id}/transfer"
    for data in ({"to_staff_id": world.staff["supervisor"].id, "note": ""},
                 {"to_staff_id": world.staff["auditor"].id, "note": "please take over"},
                 {"to_staff_id": "abc", "note": "please take over"}):
        page = live.agent_client.post(url, data=data, follow_redirects=True)
        assert page.status_code == 200
        assert 'data-testid="session-status">active<' in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(SessionTransfer)) is None
