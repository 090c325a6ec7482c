"""Customer search and profile: live results, masking, access reasons, audit."""

import re

import pytest
from sqlalchemy import select, text

from workstation.extensions import db
from workstation.models import AccessGrant, AuditEvent, Card

HX = {"HX-Request": "true"}


def _search(client, query):
    return client.get("/customers/search", query_string={"q": query}, headers=HX)


@pytest.fixture
def agent_client(client, world, sign_in):
    sign_in(world.staff["agent"])
    return client


def test_search_by_name_phone_number_and_card_digits(agent_client, world):
    wang = world.customers[0]
    assert "Wang Fang" in _search(agent_client, "wang").get_data(as_text=True)
    assert "Wang Fang" in _search(agent_client, "138 0013 8001").get_data(as_text=True)
    assert "Wang Fang" in _search(agent_client, wang.customer_no).get_data(as_text=True)
    by_card = _search(agent_client, wang.card_last4).get_data(as_text=True)
    assert "Wang Fang" in by_card


def test_htmx_gets_a_fragment_and_a_browser_the_page(agent_client):
    fragment = _search(agent_client, "Li Wei")
    assert "<html" not in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers.get("Vary", "")
    page = agent_client.get("/customers/search?q=Li+Wei")
    assert "<html" in page.get_data(as_text=True) and "Li Wei" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        "%",
        "_",
        "'; DROP TABLE customers; --",
        "\\",
        "<script>alert(1)</script>",
        "𝔘ñí©ødé",
        "9" * 200,
    ],
)
def test_any_characters_give_results_or_no_match(agent_client, query):
    response = _search(agent_client, query)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "No match" in body or "<table" in body
    assert "<script>alert(1)</script>" not in body


def test_results_mask_phone_numbers(agent_client, world):
    body = _search(agent_client, "Wang").get_data(as_text=True)
    assert world.customers[0].phone not in body


def test_manager_opens_own_customer_without_reason(client, world, sign_in, app):
    sign_in(world.staff["manager"])
    own = world.customers[0]
    page = client.get(f"/customers/{own.id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert own.full_name in body and "portfolio" in body
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "customer.view")
        ).one()
        assert event.customer_id == own.id and event.outcome == "ok"
        assert event.actor_username == "manager1" and event.request_id


def test_profile_shows_masked_numbers_only(client, world, sign_in, app):
    sign_in(world.staff["manager"])
    own = world.customers[0]
    body = client.get(f"/customers/{own.id}").get_data(as_text=True)
    digits_only = re.sub(r"[\s•]", "", body)
    assert own.pan not in digits_only
    assert own.id_number not in body and own.id_number[:14] not in body
    assert own.pan[-4:] in body and own.id_number[-4:] in body
    with app.app_context():
        card = db.session.scalars(select(Card).where(Card.customer_id == own.id)).one()
        assert card.pan == own.pan  # readable by the application
        raw = db.session.execute(
            text("SELECT pan FROM cards WHERE id = :id"), {"id": card.id}
        ).scalar_one()
    assert own.pan not in str(raw)  # but encrypted at rest


def test_card_and_id_numbers_are_encrypted_in_the_database(app, world):
    customer = world.customers[0]
    with app.app_context():
        raw_id = db.session.execute(
            text("SELECT id_number FROM customers WHERE id = :id"), {"id": customer.id}
        ).scalar_one()
    assert customer.id_number not in raw_id


@pytest.mark.parametrize("role", ["agent", "manager2", "supervisor", "auditor", "admin"])
def test_others_must_state_a_reason_first(client, world, sign_in, app, role):
    sign_in(world.staff[role])
    customer = world.customers[0]
    first = client.get(f"/customers/{customer.id}")
    assert first.status_code == 302 and first.headers["Location"].endswith("/reason")
    too_short = client.post(
        f"/customers/{customer.id}/reason",
        data={"reason_code": "customer_request", "reason_text": "x"},
    )
    assert too_short.status_code == 422
    granted = client.post(
        f"/customers/{customer.id}/reason",
        data={"reason_code": "customer_request", "reason_text": "Inbound call ref 5521 lost card"},
    )
    assert granted.status_code == 302
    profile = client.get(f"/customers/{customer.id}")
    assert profile.status_code == 200 and customer.full_name in profile.get_data(as_text=True)
    with app.app_context():
        actions = [
            (e.action, e.outcome)
            for e in db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.customer_id == customer.id)
                .order_by(AuditEvent.id)
            )
        ]
        assert actions == [
            ("customer.view", "reason_required"),
            ("customer.access_reason", "ok"),
            ("customer.view", "ok"),
        ]
        assert db.session.scalar(select(AccessGrant.reason_code)) == "customer_request"


def test_unknown_reason_code_is_refused(agent_client, world):
    response = agent_client.post(
        f"/customers/{world.customers[0].id}/reason",
        data={"reason_code": "curiosity", "reason_text": "just looking around here"},
    )
    assert response.status_code == 422
    assert agent_client.get(f"/customers/{world.customers[0].id}").status_code == 302


def test_missing_customer_is_a_404_page(agent_client):
    response = agent_client.get("/customers/999999")
    assert response.status_code == 404
    assert "No customer" in response.get_data(as_text=True)
    assert agent_client.get("/customers/999999/reason").status_code == 404


def test_signed_out_user_cannot_search(client, world):
    response = client.get("/customers/search?q=Wang")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_manager_home_lists_the_portfolio(client, world, sign_in):
    body = sign_in(world.staff["manager"]).get_data(as_text=True)
    assert "Wang Fang" in body and "Li Wei" in body and "Zhang Min" not in body


def test_areas_add_links_and_panels_to_the_profile(app, client, world, sign_in):
    from flask import Blueprint

    from workstation.customers.extensions import add_profile_link, add_profile_panel

    extra = Blueprint("extra_area", __name__)

    @extra.get("/extra/<int:customer_id>")
    def page(customer_id):
        return f"extra {customer_id}"

    app.register_blueprint(extra)
    add_profile_link(app, "Extra things", "extra_area.page")
    add_profile_panel(app, "Extra panel", "extra_area.page")
    add_profile_link(app, "Auditors only", "extra_area.page", roles=["auditor"])
    sign_in(world.staff["manager"])
    body = client.get(f"/customers/{world.customers[0].id}").get_data(as_text=True)
    assert "Extra things" in body and f"/extra/{world.customers[0].id}" in body
    slot = re.search(r'<section[^>]*data-testid="panel-slot"[^>]*>\s*<h2>Extra panel</h2>', body)
    assert slot and f'hx-get="/extra/{world.customers[0].id}"' in slot.group(0)
    assert "Auditors only" not in body


def test_another_area_can_vouch_for_access(app, client, world, sign_in):
    from workstation.customers.access import add_access_basis

    served = world.customers[3]
    add_access_basis(app, "serving now", lambda staff, customer: customer.id == served.id)
    sign_in(world.staff["agent"])
    page = client.get(f"/customers/{served.id}")
    assert page.status_code == 200 and "access: serving now" in page.get_data(as_text=True)
    assert client.get(f"/customers/{world.customers[0].id}").status_code == 302


def test_holds_reduce_the_available_balance_and_cannot_exceed_it(app, world):
    from decimal import Decimal

    from workstation.core import core_banking
    from workstation.errors import Conflict

    customer = world.customers[0]
    with app.app_context():
        core = core_banking()
        account = core.accounts_of(customer.id)[0]
        assert account.available == Decimal("12345.67")
        hold = core.place_hold(account.id, Decimal("1000.50"), "certificate", None)
        db.session.commit()
        after = core.accounts_of(customer.id)[0]
        assert after.held == Decimal("1000.50")
        assert after.available == Decimal("11345.17")
        with pytest.raises(Conflict):
            core.place_hold(account.id, Decimal("11345.18"), "too much", None)
        core.release_hold(hold.id, "done")
        db.session.commit()
        assert core.accounts_of(customer.id)[0].available == Decimal("12345.67")


def test_a_hold_past_its_expiry_no_longer_reduces_the_available_balance(app, world):
    from datetime import timedelta
    from decimal import Decimal

    from workstation.core import core_banking
    from workstation.models import Hold
    from workstation.types import utcnow

    customer = world.customers[0]
    with app.app_context():
        core = core_banking()
        account = core.accounts_of(customer.id)[0]
        hold = core.place_hold(account.id, Decimal("300.00"), "certificate",
                               utcnow() + timedelta(days=1))
        db.session.commit()
        assert core.accounts_of(customer.id)[0].available == Decimal("12045.67")
        db.session.get(Hold, hold.id).expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert core.accounts_of(customer.id)[0].available == Decimal("12345.67")
