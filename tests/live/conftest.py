"""Fixtures for live sessions: a waiting customer, an agent's tab, a session in progress."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.live.builders import (
    bearer,
    customer_socket,
    customer_token,
    emit,
    set_staff,
    staff_client,
    staff_socket,
)


@dataclass
class LiveSetup:
    session_id: int
    agent_client: object
    agent_tab: object
    customer_token: str
    customer_tab: object
    customer_id: int


@pytest.fixture
def live(app, world):
    """Wang Fang asked for help with her card; agent1 took her; both sockets are in the room."""
    agent = world.staff["agent"]
    set_staff(app, agent.id, skills="card,password", capacity=2)
    wang = world.customers[0]
    token = customer_token(app, wang.phone)
    joined = app.test_client().post("/api/v1/live/queue", json={"topic": "card"},
                                    headers=bearer(token))
    assert joined.status_code == 201, joined.get_data(as_text=True)
    client = staff_client(app, agent)
    taken = client.post("/live/queue/take")
    assert taken.status_code == 302, taken.get_data(as_text=True)
    session_id = int(taken.headers["Location"].rstrip("/").split("/")[-1])
    agent_tab = staff_socket(app, client)
    assert emit(agent_tab, "live:join", {"session_id": session_id}, "/staff")["ok"]
    device = customer_socket(app, token)
    assert emit(device, "live:join", {"session_id": session_id}, "/customer")["ok"]
    agent_tab.get_received("/staff")
    device.get_received("/customer")
    return LiveSetup(session_id, client, agent_tab, token, device, wang.id)
