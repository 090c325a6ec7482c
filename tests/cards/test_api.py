"""The bank's app reads the customer's cards and replacement progress as JSON."""

from __future__ import annotations

import uuid

from tests.cards.builders import card_id_of, phone_of


def test_app_sees_cards_and_replacement_progress(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    assert phone.client.get("/api/v1/customer/cards").status_code == 401
    card = card_id_of(app, wang)
    client.post(f"/customers/{wang.id}/cards/{card}/requests",
                data={"kind": "formal_loss", "loss_kind": "lost", "reason": "Lost in a taxi",
                      "request_key": uuid.uuid4().hex})
    waiting = phone.client.get("/api/v1/customer/cards", headers=phone.headers).json
    assert waiting["cards"][0]["waiting_for_you"] is True
    phone.confirm_latest()
    client.post(f"/customers/{wang.id}/cards/{card}/replacement",
                data={"delivery": "branch", "branch_id": world.branches["BJ01"],
                      "reason": "New card", "request_key": uuid.uuid4().hex})
    phone.confirm_latest()
    body = phone.client.get("/api/v1/customer/cards", headers=phone.headers)
    data = body.json
    assert body.status_code == 200
    assert [c["status"] for c in data["cards"]] == ["lost", "not_activated"]
    assert data["replacements"][0]["status"] == "ordered"
    assert data["replacements"][0]["steps"][0]["at"] is not None
    assert data["loss_reports"][0]["reference"] == "CL-00000001"
    assert wang.pan not in body.get_data(as_text=True)
    from workstation.cards.openapi import OPENAPI_PATHS

    rules = {rule.rule.rstrip("/") for rule in app.url_map.iter_rules()}
    assert set(OPENAPI_PATHS) <= rules
