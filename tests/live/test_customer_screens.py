"""The customer's screens in the mobile web client and the JSON API for apps."""

from __future__ import annotations

import re

import pytest

from tests.live.builders import bearer, customer_token, customer_web, set_staff, staff_client
from workstation.live.openapi import OPENAPI_PATHS


def test_get_help_queue_session_and_rating_screens(app, world):
    set_staff(app, world.staff["agent"].id, skills="password")
    phone = customer_web(app, world.customers[0].phone)
    home = phone.get("/m/").get_data(as_text=True)
    assert 'href="/m/live/"' in home
    start = phone.get("/m/live/").get_data(as_text=True)
    assert 'data-testid="topic-password"' in start and "Password or PIN" in start
    joined = phone.post("/m/live/queue", data={"topic": "password"})
    assert joined.headers["Location"] == "/m/live/queue"
    waiting = phone.get("/m/live/queue").get_data(as_text=True)
    assert 'data-testid="queue-position">1<' in waiting
    assert phone.get("/m/live/").headers["Location"] == "/m/live/queue"
    desk = staff_client(app, world.staff["agent"])
    session_url = desk.post("/live/queue/take").headers["Location"]
    session_id = int(session_url.rsplit("/", 1)[1])
    assert phone.get("/m/live/queue").headers["Location"] == f"/m/live/s/{session_id}"
    page = phone.get(f"/m/live/s/{session_id}").get_data(as_text=True)
    assert "Use your camera and microphone?" in page and "Share a form" in page
    desk.post(f"/live/sessions/{session_id}/end", data={"outcome": "resolved"})
    assert phone.get(f"/m/live/s/{session_id}").headers["Location"].endswith("/rate")
    bad = phone.post(f"/m/live/s/{session_id}/rate", data={"score": "0"})
    assert bad.status_code == 422
    done = phone.post(f"/m/live/s/{session_id}/rate", data={"score": "4", "comment": "ok"})
    assert 'data-testid="rating-thanks"' in done.get_data(as_text=True)
    assert "(4 of 5)" in phone.get(f"/m/live/s/{session_id}/rate").get_data(as_text=True)
    assert 'data-testid="topic-card"' in phone.get("/m/live/").get_data(as_text=True)


def test_an_unrated_session_is_offered_for_rating_but_never_stands_in_the_way(app, world):
    set_staff(app, world.staff["agent"].id, skills="password")
    phone = customer_web(app, world.customers[0].phone)
    phone.post("/m/live/queue", data={"topic": "password"})
    desk = staff_client(app, world.staff["agent"])
    session_id = int(desk.post("/live/queue/take").headers["Location"].rsplit("/", 1)[1])
    desk.post(f"/live/sessions/{session_id}/end", data={"outcome": "resolved"})
    rate_page = phone.get(f"/m/live/s/{session_id}/rate").get_data(as_text=True)
    assert 'data-testid="skip-rating"' in rate_page  # "Not now"
    start = phone.get("/m/live/")
    assert start.status_code == 200  # the topics, not the rating page
    assert f'href="/m/live/s/{session_id}/rate"' in start.get_data(as_text=True)
    assert phone.post("/m/live/queue", data={"topic": "password"}).headers["Location"] \
        == "/m/live/queue"
    waiting = phone.get("/m/live/queue")
    assert waiting.status_code == 200 and 'data-testid="queue-position">1<' in \
        waiting.get_data(as_text=True)
    token = customer_token(app, world.customers[0].phone)
    status = app.test_client().get("/api/v1/live/queue", headers=bearer(token)).json
    assert status["session_id"] is None and status["queue"]["position"] == 1


def test_customer_screens_need_sign_in_and_a_csrf_token(app, world):
    anonymous = app.test_client()
    assert anonymous.get("/m/live/").headers["Location"].startswith("/m/sign-in")
    phone = customer_web(app, world.customers[0].phone)
    refused = phone.post("/m/live/queue", data={"topic": "card"}, csrf=False)
    assert refused.status_code == 400
    assert phone.get("/m/live/queue").headers["Location"] == "/m/live/"


def test_unknown_topic_and_someone_elses_session(app, world):
    phone = customer_web(app, world.customers[0].phone)
    assert phone.post("/m/live/queue", data={"topic": "x"}).status_code == 422
    other = customer_token(app, world.customers[1].phone)
    app.test_client().post("/api/v1/live/queue", json={"topic": "card"}, headers=bearer(other))
    session_url = staff_client(app, world.staff["agent"]).post("/live/queue/take") \
        .headers["Location"]
    session_id = int(session_url.rsplit("/", 1)[1])
    assert phone.get(f"/m/live/s/{session_id}").status_code == 403
    assert phone.get("/m/live/s/999999").status_code == 404


def test_api_session_consent_and_end(app, world):
    token = customer_token(app, world.customers[0].phone)
    api = app.test_client()
    assert api.get("/api/v1/live/sessions/current", headers=bearer(token)).status_code == 404
    config = api.get("/api/v1/live/config", headers=bearer(token)).json
    assert config["ice_servers"] == [] and "media" in config["consent"]["wording"]
    api.post("/api/v1/live/queue", json={"topic": "card"}, headers=bearer(token))
    staff_client(app, world.staff["agent"]).post("/live/queue/take")
    current = api.get("/api/v1/live/sessions/current", headers=bearer(token)).json
    url = f"/api/v1/live/sessions/{current['id']}"
    assert api.post(f"{url}/consent", json={"kind": "cobrowse", "granted": "yes"},
                    headers=bearer(token)).status_code == 422
    consent = api.post(f"{url}/consent", json={"kind": "media", "granted": False},
                       headers=bearer(token))
    assert consent.status_code == 201
    assert api.get(url, headers=bearer(token)).json["consent"] == {"media": False,
                                                                   "cobrowse": None}
    assert api.post(f"{url}/end", headers=bearer(token)).status_code == 204
    assert api.post(f"{url}/end", headers=bearer(token)).status_code == 409


def test_ice_servers_come_from_configuration(app, world):
    app.config["ICE_SERVERS"] = [{"urls": "turn:turn.example.cn:3478", "username": "u",
                                  "credential": "p"}]
    token = customer_token(app, world.customers[0].phone)
    config = app.test_client().get("/api/v1/live/config", headers=bearer(token)).json
    assert config["ice_servers"][0]["urls"] == "turn:turn.example.cn:3478"


def test_openapi_describes_every_live_endpoint(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/live"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in OPENAPI_PATHS.get(path, {}), (method, path)


def test_live_paths_are_in_the_published_openapi_document(app):
    document = app.test_client().get("/api/v1/openapi.json").json
    assert document["paths"]["/api/v1/live/queue"]["post"]["tags"] == ["live"]
    assert "/api/v1/live/sessions/{session_id}/rating" in document["paths"]


def test_live_rating_refuses_other_digits_and_a_comment_that_is_not_text(client, app, world):
    from workstation.audit import Actor
    from workstation.errors import ValidationFailed
    from workstation.extensions import db
    from workstation.live.customer import rate_session
    from workstation.live.models import LiveSession

    with app.app_context():
        session = LiveSession(customer_id=world.customers[0].id, agent_id=world.staff["agent"].id,
                              topic="card", origin="queue", status="ended", form_values={})
        db.session.add(session)
        db.session.commit()
        for score, comment in (("²", ""), (5, ["a"]), ("9" * 30, "")):
            with pytest.raises(ValidationFailed):
                rate_session(Actor.system(), world.customers[0].id, session.id, score, comment)
        assert rate_session(Actor.system(), world.customers[0].id, session.id, "5", None).score == 5
