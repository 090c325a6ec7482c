"""Administration: staff accounts, second-factor reset, unlock, portfolios; role guards."""

import pytest
from sqlalchemy import select

from workstation.extensions import db
from workstation.models import AuditEvent, Customer, Staff

ADMIN_PAGES = ["/admin/staff", "/admin/staff/new", "/admin/portfolios"]


@pytest.fixture
def admin_client(client, world, sign_in):
    sign_in(world.staff["admin"])
    return client


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("role", ["agent", "manager", "supervisor", "auditor"])
def test_only_admins_reach_admin_pages(client, world, sign_in, path, role):
    sign_in(world.staff[role])
    assert client.get(path).status_code == 403
    assert client.post(f"/admin/staff/{world.staff['agent'].id}/deactivate").status_code == 403


@pytest.mark.parametrize("path", ["/", "/customers/search", "/audit/", *ADMIN_PAGES])
def test_pages_need_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_admin_creates_a_staff_account(admin_client, app, world):
    response = admin_client.post(
        "/admin/staff/new",
        data={
            "username": "agent7",
            "full_name": "Xu Ming",
            "role": "agent",
            "branch_id": str(world.branches["SH01"]),
            "password": "Initial-Passw0rd",
        },
    )
    assert response.status_code == 302
    listing = admin_client.get("/admin/staff").get_data(as_text=True)
    assert "agent7" in listing and "Xu Ming" in listing
    with app.app_context():
        staff = db.session.scalar(select(Staff).where(Staff.username == "agent7"))
        assert staff.must_change_password and not staff.has_second_factor
        assert staff.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    "form,message",
    [
        (
            {"username": "A!", "full_name": "x", "role": "agent", "password": "Initial-Passw0rd"},
            "username",
        ),
        (
            {
                "username": "agent1",
                "full_name": "x",
                "role": "agent",
                "password": "Initial-Passw0rd",
            },
            "taken",
        ),
        (
            {
                "username": "agent9",
                "full_name": "x",
                "role": "king",
                "password": "Initial-Passw0rd",
            },
            "role",
        ),
        (
            {"username": "agent9", "full_name": "x", "role": "agent", "password": "short"},
            "password",
        ),
        (
            {
                "username": "agent9",
                "full_name": "x",
                "role": "agent",
                "branch_id": "999",
                "password": "Initial-Passw0rd",
            },
            "branch",
        ),
    ],
)
def test_bad_staff_forms_are_refused_with_a_reason(admin_client, app, form, message):
    response = admin_client.post("/admin/staff/new", data=form)
    assert 400 <= response.status_code < 500
    assert message in response.get_data(as_text=True).lower()
    with app.app_context():
        assert db.session.scalar(select(Staff).where(Staff.username == "agent9")) is None


def test_reset_second_factor_forces_new_enrolment(admin_client, app, world):
    agent = world.staff["agent"]
    admin_client.post(f"/admin/staff/{agent.id}/reset-second-factor")
    with app.app_context():
        assert not db.session.get(Staff, agent.id).has_second_factor
    other = app.test_client()
    response = other.post(
        "/auth/login", data={"username": agent.username, "password": agent.password}
    )
    assert response.headers["Location"].endswith("/auth/enrol")


def test_unlock_lifts_a_lockout(admin_client, app, world):
    agent = world.staff["agent"]
    other = app.test_client()
    for _ in range(5):
        other.post("/auth/login", data={"username": agent.username, "password": "wrong"})
    assert "locked until" in admin_client.get("/admin/staff").get_data(as_text=True)
    admin_client.post(f"/admin/staff/{agent.id}/unlock")
    response = other.post(
        "/auth/login", data={"username": agent.username, "password": agent.password}
    )
    assert response.status_code == 302


def test_a_lock_that_ran_out_shows_as_over_and_ends_with_the_next_sign_in(admin_client, app,
                                                                         world):
    from datetime import timedelta

    from tests.helpers import sign_in
    from workstation.types import utcnow

    agent = world.staff["agent"]
    with app.app_context():
        db.session.get(Staff, agent.id).locked_until = utcnow() - timedelta(minutes=1)
        db.session.commit()
    row = admin_client.get("/admin/staff").get_data(as_text=True).split(
        f'data-username="{agent.username}"')[1].split("</tr>")[0]
    assert "locked until" not in row and "Unlock" not in row and ">active<" in row
    sign_in(app.test_client(), agent)
    with app.app_context():
        assert db.session.get(Staff, agent.id).locked_until is None


def test_supervisor_counts_failed_second_factors_with_failed_passwords(app, world):
    from tests.helpers import sign_in

    agent = world.staff["agent"]
    stranger = app.test_client()
    stranger.post("/auth/login", data={"username": agent.username, "password": "wrong"})
    stranger.post("/auth/login", data={"username": agent.username, "password": agent.password})
    stranger.post("/auth/second-factor", data={"code": "000000"})
    supervisor = app.test_client()
    sign_in(supervisor, world.staff["supervisor"])
    page = supervisor.get("/").get_data(as_text=True)
    assert 'data-testid="failed-sign-ins">2<' in page


def test_admin_cannot_deactivate_themselves(admin_client, app, world):
    response = admin_client.post(
        f"/admin/staff/{world.staff['admin'].id}/deactivate", follow_redirects=True
    )
    assert "cannot deactivate your own" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Staff, world.staff["admin"].id).active


def test_unknown_action_or_staff_is_a_404(admin_client):
    assert admin_client.post("/admin/staff/1/promote").status_code == 404
    follow = admin_client.post("/admin/staff/9999/unlock", follow_redirects=True)
    assert "No such staff account" in follow.get_data(as_text=True)


def test_assign_customers_to_a_manager(admin_client, app, world):
    target = world.staff["manager2"]
    numbers = f"{world.customers[3].customer_no}, {world.customers[0].customer_no}"
    response = admin_client.post(
        "/admin/portfolios", data={"manager_id": str(target.id), "customer_numbers": numbers}
    )
    assert response.status_code == 302
    with app.app_context():
        managers = {c.customer_no: c.manager_id for c in db.session.scalars(select(Customer))}
        assert managers[world.customers[3].customer_no] == target.id
        assert managers[world.customers[0].customer_no] == target.id
        assert db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "customer.manager_assigned")
        ).all()


def test_assignment_with_an_unknown_number_changes_nothing(admin_client, app, world):
    target = world.staff["manager2"]
    numbers = f"{world.customers[3].customer_no}\nC000000"
    response = admin_client.post(
        "/admin/portfolios", data={"manager_id": str(target.id), "customer_numbers": numbers}
    )
    assert response.status_code == 422 and "C000000" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Customer, world.customers[3].id).manager_id is None


def test_assignment_needs_a_manager(admin_client, world):
    response = admin_client.post(
        "/admin/portfolios",
        data={
            "manager_id": str(world.staff["agent"].id),
            "customer_numbers": world.customers[3].customer_no,
        },
    )
    assert response.status_code == 422


def test_deactivation_tells_open_workstation_tabs(app, world):
    from tests.helpers import sign_in
    from workstation.extensions import socketio

    agent_http = app.test_client()
    sign_in(agent_http, world.staff["agent"])
    tab = socketio.test_client(app, namespace="/staff", flask_test_client=agent_http)
    assert tab.is_connected(namespace="/staff")
    admin_http = app.test_client()
    sign_in(admin_http, world.staff["admin"])
    admin_http.post(f"/admin/staff/{world.staff['agent'].id}/deactivate")
    events = tab.get_received(namespace="/staff")
    assert any(e["name"] == "signed_out" for e in events)


def test_an_idle_session_cannot_open_a_workstation_socket(app, world):
    from datetime import timedelta

    from tests.helpers import sign_in
    from workstation.extensions import socketio

    http = app.test_client()
    sign_in(http, world.staff["agent"])
    with http.session_transaction() as session:
        session["last_seen"] -= timedelta(minutes=16).total_seconds()
    tab = socketio.test_client(app, namespace="/staff", flask_test_client=http)
    assert not tab.is_connected(namespace="/staff")


def test_the_portfolio_page_lists_customers_without_a_manager_to_assign_them(admin_client, app,
                                                                            world):
    chen = world.customers[3]  # the world's only customer without a manager
    page = admin_client.get("/admin/portfolios").get_data(as_text=True)
    listed = page.split('data-testid="unassigned-customers"')[1].split("</table>")[0]
    assert chen.customer_no in listed and "Chen Jing" in listed
    assert world.customers[0].customer_no not in listed
    assert "Customers without an account manager (1)" in page
    ticked = admin_client.post("/admin/portfolios", data={
        "manager_id": str(world.staff["manager2"].id), "customer_numbers": "",
        "customer_no": chen.customer_no})
    assert ticked.status_code == 302
    with app.app_context():
        assert db.session.get(Customer, chen.id).manager_id == world.staff["manager2"].id
        listings = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "customer.unassigned_listed")).all()
    assert listings and '"total": 1' in listings[0].detail
    assert "Every customer has an account manager." in admin_client.get(
        "/admin/portfolios").get_data(as_text=True)
