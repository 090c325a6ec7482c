"""Staff sign-in: password, second factor, enrolment, lockout, time-outs, deactivation."""

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from tests.helpers import make_staff
from workstation.auth.service import SIGN_IN_FAILED
from workstation.extensions import db
from workstation.models import AuditEvent, Role, Staff


def _post_password(client, username, password):
    return client.post("/auth/login", data={"username": username, "password": password})


def test_sign_in_with_password_and_code_lands_on_home(client, world, sign_in, app):
    page = sign_in(world.staff["agent"])
    assert page.status_code == 200
    assert "Good day" in page.get_data(as_text=True)
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.sign_in")
        ).one()
        assert (event.actor_username, event.actor_role, event.branch_code) == (
            "agent1", "agent", "BJ01")


def test_password_alone_does_not_sign_in(client, world):
    agent = world.staff["agent"]
    assert _post_password(client, agent.username, agent.password).status_code == 302
    home = client.get("/")
    assert home.status_code == 302 and "/auth/login" in home.headers["Location"]


@pytest.mark.parametrize("username,password", [("agent1", "wrong-password"), ("nobody", "x")])
def test_wrong_password_and_unknown_user_get_the_same_message(
    client, world, app, username, password
):
    response = _post_password(client, username, password)
    assert response.status_code == 401
    assert SIGN_IN_FAILED in response.get_data(as_text=True)
    with app.app_context():
        failed = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "auth.sign_in", AuditEvent.outcome == "failed"
            )
        ).all()
        assert len(failed) == 1 and username in failed[0].detail
        assert failed[0].actor_username == username  # the audit log shows who tried


def test_five_failures_lock_the_account_even_for_the_right_password(client, world, app):
    agent = world.staff["agent"]
    for _ in range(5):
        assert _post_password(client, agent.username, "wrong").status_code == 401
    response = _post_password(client, agent.username, agent.password)
    assert response.status_code == 401
    with app.app_context():
        assert db.session.get(Staff, agent.id).locked_until is not None


def test_wrong_code_is_refused_and_a_code_works_only_once(client, world, app):
    agent = world.staff["agent"]
    _post_password(client, agent.username, agent.password)
    refused = client.post("/auth/second-factor", data={"code": "000000"})
    assert refused.status_code == 401 and "not valid" in refused.get_data(as_text=True)
    code = agent.next_code()
    assert client.post("/auth/second-factor", data={"code": code}).status_code == 302
    client.post("/auth/logout")
    _post_password(client, agent.username, agent.password)
    replay = client.post("/auth/second-factor", data={"code": code})
    assert replay.status_code == 401


def test_first_sign_in_enrols_an_authenticator_with_a_qr_code(client, app, world):
    with app.app_context():
        staff = db.session.get(Staff, world.staff["agent"].id)
        staff.totp_secret = None
        staff.totp_confirmed_at = None
        db.session.commit()
    agent = world.staff["agent"]
    response = _post_password(client, agent.username, agent.password)
    assert response.headers["Location"].endswith("/auth/enrol")
    page = client.get("/auth/enrol").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    with app.app_context():
        secret = db.session.get(Staff, agent.id).totp_secret
    assert secret in page
    done = client.post("/auth/enrol", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Staff, agent.id).has_second_factor


def test_idle_session_ends_after_fifteen_minutes(client, world, sign_in):
    sign_in(world.staff["agent"])
    with client.session_transaction() as session:
        session["last_seen"] -= timedelta(minutes=16).total_seconds()
    response = client.get("/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert "without activity" in client.get("/auth/login").get_data(as_text=True)


def test_background_refreshes_do_not_keep_an_idle_session_alive(client, world, sign_in):
    """A page left open polls (the branch desk, an application's status): only what the
    staff member does counts as activity."""
    sign_in(world.staff["agent"])
    background = {"HX-Request": "true", "X-Background-Refresh": "1"}
    with client.session_transaction() as session:
        session["last_seen"] -= timedelta(minutes=14).total_seconds()
        idle_since = session["last_seen"]
    assert client.get("/", headers=background).status_code == 200  # served, not counted
    with client.session_transaction() as session:
        assert session["last_seen"] == idle_since
        session["last_seen"] -= timedelta(minutes=2).total_seconds()
    ended = client.get("/", headers=background)
    assert ended.status_code == 204 and ended.headers["HX-Redirect"] == "/auth/login"


def test_what_the_staff_member_does_keeps_the_session_alive(client, world, sign_in):
    sign_in(world.staff["agent"])
    with client.session_transaction() as session:
        session["last_seen"] -= timedelta(minutes=14).total_seconds()
    assert client.get("/", headers={"HX-Request": "true"}).status_code == 200
    with client.session_transaction() as session:
        session["last_seen"] -= timedelta(minutes=2).total_seconds()  # 2 minutes after that
    assert client.get("/").status_code == 200


def test_session_ends_after_twelve_hours_even_when_active(client, world, sign_in):
    sign_in(world.staff["agent"])
    with client.session_transaction() as session:
        session["signed_in_at"] -= timedelta(hours=12, minutes=1).total_seconds()
    response = client.get("/customers/search?q=x")
    assert response.status_code == 302


def test_htmx_request_after_timeout_redirects_the_whole_page(client, world, sign_in):
    sign_in(world.staff["agent"])
    with client.session_transaction() as session:
        session["last_seen"] -= timedelta(minutes=20).total_seconds()
    response = client.get("/customers/search?q=Wang", headers={"HX-Request": "true"})
    assert response.headers.get("HX-Redirect") == "/auth/login"


def test_deactivation_ends_a_running_session_at_once(app, world):
    agent_client = app.test_client()
    admin_client = app.test_client()
    from tests.helpers import sign_in

    sign_in(agent_client, world.staff["agent"])
    assert agent_client.get("/").status_code == 200
    sign_in(admin_client, world.staff["admin"])
    admin_client.post(f"/admin/staff/{world.staff['agent'].id}/deactivate")
    after = agent_client.get("/")
    assert after.status_code == 302 and "/auth/login" in after.headers["Location"]


def test_new_staff_must_change_password_first(client, app, world):
    with app.app_context():
        ref = make_staff("newbie", Role.AGENT, world.branches["BJ01"], must_change_password=True)
    from tests.helpers import sign_in

    sign_in(client, ref)
    forced = client.get("/")
    assert forced.status_code == 302 and forced.headers["Location"].endswith("/auth/password")
    weak = client.post(
        "/auth/password", data={"current": ref.password, "new": "short", "repeat": "short"}
    )
    assert weak.status_code == 422
    ok = client.post(
        "/auth/password",
        data={"current": ref.password, "new": "Another-Passw0rd", "repeat": "Another-Passw0rd"},
    )
    assert ok.status_code == 302
    assert client.get("/").status_code == 200


def test_form_without_csrf_token_gets_a_400_page_and_changes_nothing(client, world, app):
    agent = world.staff["agent"]
    response = client.post(
        "/auth/login", data={"username": agent.username, "password": agent.password}, csrf=False
    )
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.id)) is None


def test_sign_out_ends_the_session(client, world, sign_in):
    sign_in(world.staff["agent"])
    client.post("/auth/logout")
    assert client.get("/").status_code == 302


def test_sign_in_attempts_are_rate_limited_per_address(app, world):
    app.config["SIGN_IN_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    statuses = [
        client.post("/auth/login", data={"username": "nobody", "password": "x"}).status_code
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    page = client.post("/auth/login", data={"username": "nobody", "password": "x"})
    assert "Too Many Requests" in page.get_data(as_text=True)
