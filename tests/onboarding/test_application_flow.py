"""End to end through the staff pages and the customer's device: approved, flagged, rejected."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select
from stdnum import luhn

from tests.helpers import make_staff
from tests.onboarding.builders import account_form, application, expiry_in_years, photo
from workstation.audit import Actor
from workstation.core import core_banking
from workstation.extensions import db
from workstation.models import AuditEvent, Card, Role
from workstation.onboarding.models import OnboardingApplication, ScreeningDecision
from workstation.onboarding.watchlist import import_watchlist

ADMIN = Actor(staff_id=None, username="admin", role="admin")


def start(client, customer_no: str) -> str:
    response = client.post("/onboarding/start", data={"customer_no": customer_no})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def fill_through_pages(client, reference: str, name: str, phone: str, **account) -> None:
    base = f"/onboarding/{reference}"
    steps = {
        "personal": {"full_name": name, "id_expires_on": expiry_in_years(), "phone": phone},
        "address": {"address_line": "1 Xidan Street", "city": "Beijing", "postcode": "100032"},
        "occupation": {"occupation": "employee", "employer": "Acme Ltd", "purpose": "salary"},
        "account": account_form(name, **account),
    }
    for step, form in steps.items():
        response = client.post(f"{base}/steps/{step}", data=form)
        assert response.status_code == 302, (step, response.get_data(as_text=True))
    for slot in ("id_front", "id_back", "selfie"):
        response = client.post(f"{base}/documents/{slot}", content_type="multipart/form-data",
                               data={"photo": (io.BytesIO(photo()), f"{slot}.jpg")})
        assert response.status_code == 302, response.get_data(as_text=True)


def sign_and_set_pin(app, device, phone: str, reference: str) -> dict:
    """The customer signs on the phone, reads the card details there and sets the PIN."""
    phone_client = device(phone)
    sign = [t for t in phone_client.tasks("sign") if reference in t["title"]][0]
    assert "Account agreement" in sign["payload"]["document_title"]
    assert phone_client.answer(sign, {"method": "typed", "name": "Wang Fang"}).status_code == 200
    card = phone_client.get(f"/api/v1/onboarding/applications/{reference}/card")
    assert card.status_code == 200 and card.headers["Cache-Control"] == "no-store"
    pin_task = phone_client.tasks("set_secret")[0]
    answered = phone_client.answer(pin_task, {"secret": "135792", "repeat": "135792"})
    assert answered.status_code == 200, answered.get_data(as_text=True)
    after = phone_client.get(f"/api/v1/onboarding/applications/{reference}/card")
    assert after.status_code == 409  # details are gone once the PIN is set
    notices = [t["payload"]["message"] for t in phone_client.tasks("notice")]
    return {"card": card.json, "notices": notices, "phone": phone_client}


def test_auto_approved_application_ends_with_a_card_and_pin_set_on_the_phone(
        app, client, world, sign_in, device):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    reference = start(client, wang.customer_no)
    fill_through_pages(client, reference, wang.full_name, wang.phone)
    response = client.post(f"/onboarding/{reference}/submit", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Approved: waiting for the signature" in page and "APPROVE" in page
    done = sign_and_set_pin(app, device, wang.phone, reference)
    number = done["card"]["card_number"]
    assert len(number) == 16 and luhn.is_valid(number)
    staff_page = client.get(f"/onboarding/{reference}").get_data(as_text=True)
    assert "Completed" in staff_page and number not in staff_page
    assert number[-4:] in staff_page and "Set by the customer" in staff_page
    assert any("approved" in n for n in done["notices"])
    kept = client.get(f"/onboarding/{reference}/agreement").get_data(as_text=True)
    assert "typed name: Wang Fang" in kept and "type II" in kept and "10,000.00 CNY a day" in kept
    with app.app_context():
        row = application(reference)
        assert (row.status, row.card_reveal, row.open_id_digest) == ("completed", None, None)
        assert core_banking().verify_pin(row.card_id, "135792")
        card = db.session.get(Card, row.card_id)
        assert card.account.account_class == "II" and card.pan == number


def test_flagged_application_waits_for_another_supervisor(app, client, world, sign_in, device):
    wang = world.customers[0]
    with app.app_context():  # same name, other ID number: a person must look
        import_watchlist(ADMIN, "list.csv", b"name,id_number\nWANG FANG,110101199001010011\n")
        second = make_staff("supervisor2", Role.SUPERVISOR, world.branches["BJ01"])
    sign_in(world.staff["supervisor"])
    reference = start(client, wang.customer_no)
    fill_through_pages(client, reference, wang.full_name, wang.phone)
    page = client.post(f"/onboarding/{reference}/submit", follow_redirects=True).get_data(
        as_text=True)
    assert "Waiting for a supervisor" in page and "Name is on the watch-list" in page
    own = client.post(f"/onboarding/{reference}/review",
                      data={"outcome": "approve", "note": "Checked the photos myself"})
    assert own.status_code == 403 and "maker-checker" in own.get_data(as_text=True)
    client.post("/auth/logout")
    sign_in(second)
    queue = client.get("/onboarding/review").get_data(as_text=True)
    assert reference in queue
    short = client.post(f"/onboarding/{reference}/review", data={"outcome": "approve",
                                                                 "note": "ok"})
    assert short.status_code == 422
    approved = client.post(f"/onboarding/{reference}/review", data={
        "outcome": "approve", "note": "Different person: birth date and photo differ"})
    assert approved.status_code == 302
    assert "queue-empty" in client.get("/onboarding/review").get_data(as_text=True)
    sign_and_set_pin(app, device, wang.phone, reference)
    with app.app_context():
        row = application(reference)
        kinds = db.session.scalars(select(ScreeningDecision.kind).where(
            ScreeningDecision.application_id == row.id).order_by(ScreeningDecision.id)).all()
        assert row.status == "completed" and kinds == ["screening", "review"]


def test_rejected_application_tells_the_customer_the_reason_category(
        app, client, world, sign_in, device):
    wang = world.customers[0]
    with app.app_context():
        from workstation.models import Customer

        id_number = db.session.get(Customer, wang.id).id_number
        import_watchlist(ADMIN, "list.csv", f"name,id_number,list\nWang Fang,{id_number},"
                         "sanctions\n".encode())
    sign_in(world.staff["manager"])
    reference = start(client, wang.customer_no)
    fill_through_pages(client, reference, wang.full_name, wang.phone)
    page = client.post(f"/onboarding/{reference}/submit", follow_redirects=True).get_data(
        as_text=True)
    assert "Rejected" in page and "Name and ID number are on the watch-list" in page
    assert id_number not in page
    phone = device(wang.phone)
    notices = [t["payload"]["message"] for t in phone.tasks("notice")]
    assert any("Reason: compliance checks" in n for n in notices)
    summary = phone.get(f"/api/v1/onboarding/applications/{reference}").json
    assert summary["status"] == "rejected"
    assert summary["outcome_reason_category"] == "compliance checks"
    assert phone.tasks("sign") == []
    # A rejected application is closed: a new one may be started (and is screened again).
    assert start(client, wang.customer_no) != reference


def test_photos_requested_on_the_phone_arrive_through_upload_tasks(
        app, client, world, sign_in, device):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    reference = start(client, wang.customer_no)
    client.post(f"/onboarding/{reference}/request-photos")
    phone = device(wang.phone)
    uploads = phone.tasks("upload")
    assert len(uploads) == 3
    gif = phone.upload(uploads[0], photo("GIF"), "front.gif", "image/gif")
    assert gif.status_code in (409, 422)
    broken = phone.upload(uploads[0], photo("JPEG")[:400])
    assert broken.status_code == 409 and "not a readable image" in broken.get_data(as_text=True)
    for task in uploads:
        assert phone.upload(task, photo()).status_code == 200
    page = client.get(f"/onboarding/{reference}").get_data(as_text=True)
    assert page.count("via device task") == 3
    with app.app_context():
        assert "documents" in application(reference).steps_done


def test_staff_pages_need_a_staff_role_and_an_application_of_theirs(app, client, world, sign_in):
    wang = world.customers[2]  # in manager2's portfolio
    sign_in(world.staff["manager2"])
    reference = start(client, wang.customer_no)
    client.post("/auth/logout")
    sign_in(world.staff["manager"])
    response = client.get(f"/onboarding/{reference}")
    assert response.status_code == 302 and "/reason" in response.headers["Location"]
    saved = client.post(f"/onboarding/{reference}/steps/address", data={"address": "Elsewhere"})
    assert saved.status_code == 302 and saved.headers["Location"] == response.headers["Location"]
    assert client.get("/onboarding/review").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(OnboardingApplication.id))) == 1
        assert "address" not in application(reference).steps_done
        refusals = db.session.execute(select(AuditEvent.action, AuditEvent.outcome).where(
            AuditEvent.object_id == reference,
            AuditEvent.actor_username == world.staff["manager"].username)).all()
    assert [tuple(r) for r in refusals] == [("onboarding.open", "reason_required")] * 2
    assert re.match(r"^CA[A-Z2-9]{10}$", reference)


def test_profile_links_to_the_customers_applications_and_polling_is_not_audited(
        app, client, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    profile = client.get(f"/customers/{wang.id}").get_data(as_text=True)
    assert f"/onboarding/customers/{wang.id}" in profile
    page = client.get(f"/onboarding/customers/{wang.id}").get_data(as_text=True)
    assert f'value="{wang.customer_no}"' in page
    reference = start(client, wang.customer_no)
    client.get(f"/onboarding/{reference}")
    for _ in range(3):
        fragment = client.get(f"/onboarding/{reference}", headers={"HX-Request": "true"})
        assert 'id="ob-status"' in fragment.get_data(as_text=True)
    with app.app_context():
        viewed = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "onboarding.viewed"))
    assert viewed == 1


def test_a_pin_made_of_the_birth_date_is_refused_on_the_phone(app, client, world, sign_in,
                                                               device):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    reference = start(client, wang.customer_no)
    fill_through_pages(client, reference, wang.full_name, wang.phone)
    client.post(f"/onboarding/{reference}/submit")
    phone = device(wang.phone)
    sign = phone.tasks("sign")[0]
    phone.answer(sign, {"method": "typed", "name": wang.full_name})
    with app.app_context():
        born = application(reference).birth_date
    birthday = born.strftime("%y%m%d")
    pin_task = phone.tasks("set_secret")[0]
    refused = phone.answer(pin_task, {"secret": birthday, "repeat": birthday})
    assert refused.status_code == 409 and "date of birth" in refused.json["detail"]
    with app.app_context():
        row = application(reference)
        assert (row.status, row.pin_set_at) == ("card_issued", None)
        assert not core_banking().verify_pin(row.card_id, birthday)
    assert phone.answer(pin_task, {"secret": "480264", "repeat": "480264"}).status_code == 200


def test_an_auditor_reads_applications_but_changes_nothing(app, client, world, sign_in):
    sign_in(world.staff["manager"])
    reference = start(client, world.customers[0].customer_no)
    client.post("/auth/logout")
    sign_in(world.staff["auditor"])
    page = client.get(f"/onboarding/{reference}")
    assert page.status_code == 200 and "save-personal" not in page.get_data(as_text=True)
    for path in ("steps/address", "submit", "withdraw", "request-photos"):
        assert client.post(f"/onboarding/{reference}/{path}").status_code == 403
    assert client.post("/onboarding/start", data={"customer_no": "C900002"}).status_code == 403


def test_a_supervisor_who_filled_in_a_step_cannot_approve_it(app, client, world, sign_in):
    wang = world.customers[0]
    with app.app_context():  # same name, other ID number: a person must look
        import_watchlist(ADMIN, "list.csv", b"name,id_number\nWang Fang,110101199001010011\n")
        helper = make_staff("supervisor3", Role.SUPERVISOR, world.branches["BJ01"])
    sign_in(world.staff["manager"])
    reference = start(client, wang.customer_no)
    fill_through_pages(client, reference, wang.full_name, wang.phone)
    client.post("/auth/logout")
    sign_in(helper)  # corrects the address on the manager's application
    client.post(f"/onboarding/{reference}/steps/address", data={
        "address_line": "2 Xidan Street", "city": "Beijing", "postcode": "100032"})
    client.post(f"/onboarding/{reference}/submit")
    page = client.get(f"/onboarding/{reference}").get_data(as_text=True)
    assert 'data-testid="maker-checker"' in page
    refused = client.post(f"/onboarding/{reference}/review",
                          data={"outcome": "approve", "note": "Looked fine to me"})
    assert refused.status_code == 403
    client.post("/auth/logout")
    sign_in(world.staff["supervisor"])
    assert client.post(f"/onboarding/{reference}/review", data={
        "outcome": "reject", "note": "Cannot tell the listed person apart"}).status_code == 302
    with app.app_context():
        assert application(reference).status == "rejected"


def test_listing_a_customers_applications_is_on_record_and_needs_a_basis(
        app, client, world, sign_in):
    zhang = world.customers[2]  # manager2's customer, at the other branch
    sign_in(world.staff["agent"])
    refused = client.get(f"/onboarding/customers/{zhang.id}")
    assert refused.status_code == 302
    assert refused.headers["Location"].endswith(f"/customers/{zhang.id}/reason")
    client.post("/auth/logout")
    sign_in(world.staff["auditor"])  # reviewers list without a stated reason, on record
    assert client.get(f"/onboarding/customers/{zhang.id}").status_code == 200
    with app.app_context():
        rows = db.session.execute(select(AuditEvent.actor_username, AuditEvent.outcome).where(
            AuditEvent.action == "onboarding.customer_viewed",
            AuditEvent.customer_id == zhang.id).order_by(AuditEvent.id)).all()
    assert [tuple(r) for r in rows] == [("agent1", "reason_required"), ("auditor1", "ok")]


def test_a_declined_pin_request_can_be_sent_again_and_hides_the_card_meanwhile(
        app, client, world, sign_in, device):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    reference = start(client, wang.customer_no)
    fill_through_pages(client, reference, wang.full_name, wang.phone)
    client.post(f"/onboarding/{reference}/submit")
    phone = device(wang.phone)
    phone.answer(phone.tasks("sign")[0], {"method": "typed", "name": wang.full_name})
    card_url = f"/api/v1/onboarding/applications/{reference}/card"
    assert phone.get(card_url).status_code == 200
    assert 'data-testid="resend-pin"' not in client.get(f"/onboarding/{reference}").get_data(
        as_text=True)  # the request is still open
    declined = phone.answer(phone.tasks("set_secret")[0], {}, decision="decline")
    assert declined.status_code == 200
    assert phone.get(card_url).status_code == 409  # no full number without an open request
    summary = phone.get(f"/api/v1/onboarding/applications/{reference}").json
    assert summary["status"] == "card_issued" and summary["pin_request_open"] is False
    staff_page = client.get(f"/onboarding/{reference}").get_data(as_text=True)
    assert 'data-testid="pin-request-closed"' in staff_page
    sent = client.post(f"/onboarding/{reference}/resend/pin")
    assert sent.status_code == 302
    assert phone.get(card_url).status_code == 200
    again = phone.tasks("set_secret")[0]
    assert phone.answer(again, {"secret": "480264", "repeat": "480264"}).status_code == 200
    with app.app_context():
        assert application(reference).status == "completed"
    refused = client.post(f"/onboarding/{reference}/resend/pin")  # nothing waits for a PIN
    assert refused.status_code == 422 and "Only an issued card" in refused.get_data(as_text=True)
    assert client.post(f"/onboarding/{reference}/resend/nonsense").status_code == 422
