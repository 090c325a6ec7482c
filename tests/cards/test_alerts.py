"""Repeated loss reports or resets raise an alert that a supervisor sees and acknowledges."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from tests.cards.builders import card_id_of
from workstation.alerts.models import Alert
from workstation.extensions import db
from workstation.models import AuditEvent


def reset(client, customer, kind="password", card_id=""):
    return client.post(f"/customers/{customer.id}/credentials/resets",
                       data={"kind": kind, "card_id": card_id, "reason": "Customer asked",
                             "request_key": uuid.uuid4().hex})


def test_repeated_requests_raise_one_alert(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    card = card_id_of(app, wang)
    client.post(f"/customers/{wang.id}/cards/{card}/verbal-loss",
                data={"loss_kind": "lost", "reason": "Called at night",
                      "request_key": uuid.uuid4().hex})
    reset(client, wang)
    with app.app_context():
        assert db.session.scalar(select(Alert.id)) is None
    client.post(f"/customers/{wang.id}/credentials/resets/1/cancel",
                data={"reason": "Customer hung up"})
    reset(client, wang)  # the third request within 24 hours
    reset(client, world.customers[1])
    with app.app_context():
        alerts = db.session.scalars(select(Alert)).all()
        assert len(alerts) == 1
        assert alerts[0].customer_id == wang.id and alerts[0].severity == "high"
        assert "1 loss report(s) and 2 PIN/password reset(s)" in alerts[0].message


def test_supervisor_lists_and_acknowledges_alerts(client, app, world, sign_in):
    from workstation.alerts import raise_alert

    with app.app_context():
        raise_alert("repeated_card_requests", "3 loss report(s) in 24 hours.",
                    customer_id=world.customers[0].id)
        db.session.commit()
    sign_in(world.staff["manager"])
    assert client.get("/alerts").status_code == 403
    client.post("/auth/logout")
    sign_in(world.staff["supervisor"])
    page = client.get("/alerts").get_data(as_text=True)
    assert "3 loss report(s) in 24 hours." in page and "Wang Fang" in page
    short = client.post("/alerts/1/acknowledge", data={"note": "ok"})
    assert short.status_code == 422
    done = client.post("/alerts/1/acknowledge", data={"note": "Called the customer back"})
    assert done.status_code == 302
    assert "No open alerts" in client.get("/alerts").get_data(as_text=True)
    again = client.post("/alerts/1/acknowledge", data={"note": "Called the customer back"})
    assert again.status_code == 409
    listed = client.get("/alerts?all=1").get_data(as_text=True)
    assert "Called the customer back" in listed
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.reason).where(
            AuditEvent.action == "alert.acknowledged")) == "Called the customer back"
