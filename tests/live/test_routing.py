"""The queue: longest waiting first within the agent's skills and capacity; live positions."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select, update

from tests.helpers import make_staff
from tests.live.builders import (
    bearer,
    customer_socket,
    customer_token,
    emit,
    frames,
    set_staff,
    staff_client,
    staff_socket,
)
from workstation.extensions import db
from workstation.live.models import LiveSession, QueueEntry
from workstation.models import Role
from workstation.types import utcnow


def _queue(app, token, topic):
    response = app.test_client().post("/api/v1/live/queue", json={"topic": topic},
                                      headers=bearer(token))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json


def _backdate(app, customer_id, minutes):
    with app.app_context():
        db.session.execute(update(QueueEntry).where(QueueEntry.customer_id == customer_id)
                           .values(joined_at=utcnow() - timedelta(minutes=minutes)))
        db.session.commit()


def _session_customers(app, agent_id):
    with app.app_context():
        return list(db.session.scalars(select(LiveSession.customer_id).where(
            LiveSession.agent_id == agent_id).order_by(LiveSession.id)))


def test_longest_waiting_first_within_skills(app, world):
    agent = world.staff["agent"]
    set_staff(app, agent.id, skills="card,password", capacity=5)
    wang, li, zhang, chen = world.customers
    waits = {wang.id: ("card", 5), li.id: ("certificate", 30), zhang.id: ("password", 20),
             chen.id: ("card", 1)}
    for ref in world.customers:
        topic, minutes = waits[ref.id]
        _queue(app, customer_token(app, ref.phone), topic)
        _backdate(app, ref.id, minutes)
    client = staff_client(app, agent)
    for _ in range(3):
        assert client.post("/live/queue/take").status_code == 302
    # Li (certificate, waiting longest) is outside the agent's skills and stays in line.
    assert _session_customers(app, agent.id) == [zhang.id, wang.id, chen.id]
    page = client.post("/live/queue/take", follow_redirects=True).get_data(as_text=True)
    assert "Nobody is waiting for a topic you handle." in page
    with app.app_context():
        assert db.session.scalar(select(QueueEntry.status).where(
            QueueEntry.customer_id == li.id)) == "waiting"


def test_capacity_limits_sessions_at_once(app, world):
    agent = world.staff["agent"]
    set_staff(app, agent.id, skills="", capacity=1)
    for ref in world.customers[:2]:
        _queue(app, customer_token(app, ref.phone), "other")
    client = staff_client(app, agent)
    assert client.post("/live/queue/take").headers["Location"].startswith("/live/sessions/")
    page = client.post("/live/queue/take", follow_redirects=True).get_data(as_text=True)
    assert "You are at your capacity of 1 sessions at once." in page
    assert len(_session_customers(app, agent.id)) == 1


def test_two_agents_racing_for_one_customer_get_one_session(app, world):
    with app.app_context():
        second = make_staff("agent2", Role.AGENT, world.branches["BJ01"])
    _queue(app, customer_token(app, world.customers[0].phone), "card")
    clients = [staff_client(app, world.staff["agent"]), staff_client(app, second)]
    results = []

    def take(client):
        results.append(client.post("/live/queue/take").headers["Location"])

    threads = [threading.Thread(target=take, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.startswith("/live/sessions/") for r in results) == [False, True]
    with app.app_context():
        assert len(db.session.scalars(select(LiveSession)).all()) == 1


def test_waiting_customers_see_their_position_move_live(app, world):
    agent = world.staff["agent"]
    set_staff(app, agent.id, skills="card", capacity=3)
    tokens = [customer_token(app, ref.phone) for ref in world.customers[:3]]
    places = [_queue(app, t, "card") for t in tokens]
    assert [p["position"] for p in places] == [1, 2, 3]
    assert places[2]["estimated_wait_seconds"] > places[0]["estimated_wait_seconds"] > 0
    third = customer_socket(app, tokens[2])
    first = customer_socket(app, tokens[0])
    client = staff_client(app, agent)
    tab = staff_socket(app, client)
    assert emit(tab, "live:queue:watch", {}, "/staff") == {"ok": True, "waiting": 3}
    client.post("/live/queue/take")
    assert frames(third, "/customer", "live:queue:position")[-1]["position"] == 2
    assigned = frames(first, "/customer", "live:session:assigned")
    assert assigned[0]["agent_name"] == "Agent1"
    assert frames(tab, "/staff", "live:queue")[-1] == {"waiting": 2}
    status = emit(first, "live:queue:status", {}, "/customer")
    assert status["ok"] and status["session_id"] == assigned[0]["session_id"]


def test_queue_input_is_checked(app, world):
    token = customer_token(app, world.customers[0].phone)
    client = app.test_client()
    assert client.post("/api/v1/live/queue", json={"topic": "lottery"},
                       headers=bearer(token)).status_code == 422
    assert client.post("/api/v1/live/queue", data="x", headers=bearer(token)).status_code == 422
    assert client.post("/api/v1/live/queue", json={"topic": "card"}).status_code == 401
    first = _queue(app, token, "card")
    assert _queue(app, token, "card")["entry_id"] == first["entry_id"]
    assert client.delete("/api/v1/live/queue", headers=bearer(token)).status_code == 204
    assert client.get("/api/v1/live/queue", headers=bearer(token)).json == {
        "session_id": None, "queue": None}


def test_only_agents_and_supervisors_take_customers(app, world, client, sign_in):
    sign_in(world.staff["manager"])
    assert client.post("/live/queue/take").status_code == 403
    assert client.get("/live/queue").status_code == 403


def test_pushed_positions_match_what_each_customer_is_told(app, world):
    topics = ["card", "password", "card", "other"]
    for ref, topic in zip(world.customers, topics, strict=True):
        _queue(app, customer_token(app, ref.phone), topic)
    from workstation.live import queue

    with app.app_context():
        entries = queue.waiting_entries()
        pushed = [place for _entry, place in queue.all_places(entries)]
        asked = [queue.queue_place(entry) for entry in entries]
    assert pushed == asked
    assert [p.position for p in pushed] == [1, 1, 2, 1]


def test_a_closed_waiting_screen_drops_out_until_it_checks_in(app, world):
    agent = world.staff["agent"]
    set_staff(app, agent.id, skills="card", capacity=3)
    wang, li = world.customers[0], world.customers[1]
    wang_token = customer_token(app, wang.phone)
    _queue(app, wang_token, "card")
    _queue(app, customer_token(app, li.phone), "card")
    _backdate(app, li.id, 1)
    with app.app_context():
        db.session.execute(update(QueueEntry).where(QueueEntry.customer_id == wang.id)
                           .values(joined_at=utcnow() - timedelta(minutes=5),
                                   last_seen_at=utcnow() - timedelta(minutes=3)))
        db.session.commit()
    supervisor = staff_client(app, world.staff["supervisor"])
    assert 'data-testid="board-queue">1<' in supervisor.get("/live/board").get_data(as_text=True)
    back = app.test_client().get("/api/v1/live/queue", headers=bearer(wang_token)).json
    assert back["queue"]["position"] == 1  # checked in again: her place is kept
    client = staff_client(app, agent)
    client.post("/live/queue/take")
    assert _session_customers(app, agent.id) == [wang.id]


def test_the_agent_serving_a_customer_opens_the_profile_without_a_reason(app, world):
    agent = world.staff["agent"]
    set_staff(app, agent.id, skills="card", capacity=2)
    chen = world.customers[3]
    _queue(app, customer_token(app, chen.phone), "card")
    client = staff_client(app, agent)
    assert client.post("/live/queue/take").status_code == 302
    profile = client.get(f"/customers/{chen.id}")
    assert profile.status_code == 200
    assert "serving in a live session" in profile.get_data(as_text=True)
    other = world.customers[0]
    assert client.get(f"/customers/{other.id}").status_code == 302  # still needs a reason
