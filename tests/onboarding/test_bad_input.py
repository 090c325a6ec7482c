"""Refused input: a clear reason, and nothing of the failed step written."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import func, select

from tests.helpers import resident_id
from tests.onboarding.builders import (
    account_form,
    application,
    expiry_in_years,
    make_applicant,
    noisy_png,
    photo,
)
from tests.onboarding.test_application_flow import start
from workstation.extensions import db
from workstation.models import AuditEvent
from workstation.onboarding.models import OnboardingApplication, OnboardingDocument


def step_events(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action.in_(("onboarding.step_saved", "onboarding.document_received"))))


def test_bad_check_digit_is_refused_and_nothing_saved(app, client, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    reference = start(client, wang.customer_no)
    bad = wang.id_number[:-1] + ("0" if wang.id_number[-1] != "0" else "1")
    response = client.post(f"/onboarding/{reference}/steps/personal", data={
        "full_name": "Someone Else", "id_number": bad, "id_expires_on": expiry_in_years()})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "check digit" in page
    assert bad not in page  # the typed number is not echoed back
    with app.app_context():
        row = application(reference)
        assert row.full_name == "Wang Fang" and "personal" not in row.steps_done
    assert step_events(app) == 0


def test_an_id_number_that_is_not_the_customers_is_refused(app, client, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    reference = start(client, wang.customer_no)
    response = client.post(f"/onboarding/{reference}/steps/personal", data={
        "full_name": "Wang Fang", "id_number": resident_id(date(1979, 2, 3), 5),
        "id_expires_on": expiry_in_years()})
    assert response.status_code == 422
    assert "customer&#39;s record" in response.get_data(as_text=True)


def test_under_age_applicant_is_refused_with_the_reason(app, client, world, sign_in):
    today = date.today()
    with app.app_context():
        make_applicant(77, "Zhao Xiao", "+86 135 0000 7777",
                       date(today.year - 14, 1, 1))
    sign_in(world.staff["supervisor"])
    reference = start(client, "C800077")
    with app.app_context():
        row = application(reference)
    response = client.post(f"/onboarding/{reference}/steps/personal", data={
        "full_name": row.full_name, "id_expires_on": expiry_in_years()})
    assert response.status_code == 422
    assert "from the age of 16" in response.get_data(as_text=True)
    assert step_events(app) == 0


def test_expired_id_card_is_refused(app, client, world, sign_in):
    sign_in(world.staff["manager"])
    reference = start(client, world.customers[0].customer_no)
    response = client.post(f"/onboarding/{reference}/steps/personal", data={
        "full_name": "Wang Fang", "id_expires_on": "2020-01-01"})
    assert response.status_code == 422 and "expired" in response.get_data(as_text=True)


def test_a_second_open_application_for_the_same_id_is_refused(app, client, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    first = start(client, wang.customer_no)
    second = client.post("/onboarding/start", data={"customer_no": wang.customer_no},
                         follow_redirects=True)
    assert f"Application {first} for this ID number is still open" in second.get_data(
        as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(OnboardingApplication.id))) == 1
    client.post(f"/onboarding/{first}/withdraw")
    assert start(client, wang.customer_no) != first


def test_wrong_too_large_or_broken_photos_are_refused_and_not_kept(app, client, world, sign_in):
    app.config["ONBOARDING_IMAGE_MAX_BYTES"] = 50 * 1024
    sign_in(world.staff["manager"])
    reference = start(client, world.customers[0].customer_no)
    cases = [(photo("GIF"), "Only JPEG or PNG"), (b"plain text", "Only JPEG or PNG"),
             (noisy_png(300, 300), "too large"), (photo("JPEG")[:500], "not a readable image")]
    for content, message in cases:
        response = client.post(f"/onboarding/{reference}/documents/selfie",
                               content_type="multipart/form-data",
                               data={"photo": (io.BytesIO(content), "selfie.jpg")})
        assert response.status_code == 422, message
        assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(OnboardingDocument.id))) == 0
    assert step_events(app) == 0


def test_a_refused_account_step_keeps_what_was_saved_before(app, client, world, sign_in):
    sign_in(world.staff["manager"])
    reference = start(client, world.customers[0].customer_no)
    base = f"/onboarding/{reference}/steps/account"
    assert client.post(base, data=account_form("Wang Fang", "III")).status_code == 302
    other_name = client.post(base, data=account_form("Wang Fang", "II",
                                                     bound_holder="Li Wei"))
    assert other_name.status_code == 422 and "own name" in other_name.get_data(as_text=True)
    type_one = client.post(base, data={"account_class": "I"})
    assert type_one.status_code == 422 and "branch" in type_one.get_data(as_text=True)
    with app.app_context():
        row = application(reference)
        assert (row.account_class, row.bound_account) == ("III", None)
        assert row.balance_cap == 2000


def test_submitting_an_incomplete_application_names_the_missing_steps(app, client, world,
                                                                      sign_in):
    sign_in(world.staff["manager"])
    reference = start(client, world.customers[0].customer_no)
    response = client.post(f"/onboarding/{reference}/submit")
    assert response.status_code == 422
    assert "personal, documents, address, occupation, account" in response.get_data(as_text=True)
    with app.app_context():
        assert application(reference).status == "draft"


def test_the_database_keeps_one_open_application_per_id_under_a_race(app, world, monkeypatch):
    from tests.onboarding.builders import STAFF_ACTOR
    from workstation.errors import Conflict
    from workstation.onboarding import service

    # Two requests that both passed the check before either wrote: the unique key decides.
    monkeypatch.setattr(service, "_refuse_second_open", lambda *a, **k: None)
    starter = service.Starter(STAFF_ACTOR)
    with app.app_context():
        service.start_application(starter, world.customers[0].id)
        try:
            service.start_application(starter, world.customers[0].id)
        except Conflict as refused:
            assert "already open" in refused.message
        else:
            raise AssertionError("a second open application was written")
        assert db.session.scalar(select(func.count(OnboardingApplication.id))) == 1


def test_a_stale_draft_expires_and_no_longer_blocks_a_new_application(app, client, world,
                                                                      sign_in, runner):
    from datetime import timedelta

    from workstation.types import utcnow

    sign_in(world.staff["manager"])
    stale = start(client, world.customers[0].customer_no)
    fresh = start(client, world.customers[1].customer_no)
    with app.app_context():
        row = application(stale)
        row.updated_at = utcnow() - timedelta(days=31)
        db.session.commit()
    result = runner.invoke(args=["onboarding", "expire-drafts", "--days", "30"])
    assert "1 stale draft application(s) withdrawn" in result.output
    with app.app_context():
        assert (application(stale).status, application(fresh).status) == ("withdrawn", "draft")
    assert start(client, world.customers[0].customer_no) != stale
