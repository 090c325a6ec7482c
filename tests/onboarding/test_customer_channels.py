"""A customer applies on their own: on the mobile web, and from the bank's app (JSON)."""

from __future__ import annotations

import base64
import io
import re

from tests.channel.builders import web_sign_in
from tests.onboarding.builders import account_form, application, expiry_in_years, photo


def test_customer_applies_alone_on_the_mobile_web_and_is_approved(app, client, world):
    wang = world.customers[1]  # Li Wei
    home = web_sign_in(client, app, wang.phone).get_data(as_text=True)
    assert "Apply for a debit card" in home
    started = client.post("/m/onboarding/start")
    reference = started.headers["Location"].rsplit("/", 1)[-1]
    base = f"/m/onboarding/{reference}"
    assert "Your personal data" in client.get(base).get_data(as_text=True)
    client.post(f"{base}/steps/personal", data={"full_name": wang.full_name,
                                                "id_expires_on": expiry_in_years()})
    refused = client.post(f"{base}/documents/id_front", content_type="multipart/form-data",
                          data={"photo": (io.BytesIO(b"GIF89a..."), "front.gif")})
    assert refused.status_code == 422 and "Only JPEG or PNG" in refused.get_data(as_text=True)
    for slot in ("id_front", "id_back", "selfie"):
        client.post(f"{base}/documents/{slot}", content_type="multipart/form-data",
                    data={"photo": (io.BytesIO(photo("PNG")), f"{slot}.png")})
    client.post(f"{base}/steps/address", data={"address_line": "8 Jinrong Street",
                                               "city": "Beijing", "postcode": "100033"})
    client.post(f"{base}/steps/occupation", data={"occupation": "employee",
                                                  "employer": "Acme", "purpose": "savings"})
    type_one = client.post(f"{base}/steps/account", data={"account_class": "I"})
    refused = type_one.get_data(as_text=True)
    assert type_one.status_code == 422 and "opened at a branch" in refused
    assert "/m/appointments/new" in refused  # the branch visit is offered
    page = client.post(f"{base}/steps/account", data=account_form(wang.full_name, "III"),
                       follow_redirects=True).get_data(as_text=True)
    assert "Send my application" in page
    outcome = client.post(f"{base}/submit", follow_redirects=True).get_data(as_text=True)
    assert "Approved" in outcome and "Sign the account agreement" in outcome
    with app.app_context():
        row = application(reference)
        assert (row.channel, row.prepared_by_id, row.account_class) == ("self", None, "III")
        assert row.device_id is not None
    home = client.get("/m/").get_data(as_text=True)
    assert "Sign your account agreement" in home


def test_the_app_fills_an_application_over_json_and_gets_clear_errors(app, world, device):
    phone = device(world.customers[1].phone)
    created = phone.post("/api/v1/onboarding/applications")
    assert created.status_code == 201
    reference = created.json["reference"]
    assert created.json["next_step"] == "personal"
    again = phone.post("/api/v1/onboarding/applications")
    assert again.status_code == 409 and again.json["detail"].startswith("Application")
    base = f"/api/v1/onboarding/applications/{reference}"
    bad = phone.post(f"{base}/steps/personal", json={"full_name": "Li Wei",
                                                     "id_number": "110101198001020019",
                                                     "id_expires_on": expiry_in_years()})
    assert bad.status_code == 422 and "check digit" in bad.json["detail"]
    ok = phone.post(f"{base}/steps/personal", json={"full_name": "Li Wei",
                                                    "id_expires_on": expiry_in_years()})
    assert ok.status_code == 200 and ok.json["next_step"] == "documents"
    not_image = phone.post(f"{base}/documents/selfie",
                           json={"content": base64.b64encode(b"not an image").decode()})
    assert not_image.status_code == 422
    for slot in ("id_front", "id_back", "selfie"):
        sent = phone.post(f"{base}/documents/{slot}",
                          json={"content": base64.b64encode(photo()).decode()})
        assert sent.status_code == 200
    assert sent.json["documents"] == ["id_back", "id_front", "selfie"]
    phone.post(f"{base}/steps/address", json={"address_line": "8 Jinrong Street",
                                              "city": "Beijing", "postcode": "100033"})
    phone.post(f"{base}/steps/occupation", json={"occupation": "retired",
                                                 "purpose": "savings"})
    phone.post(f"{base}/steps/account", json=account_form("Li Wei", "II"))
    decided = phone.post(f"{base}/submit")
    assert decided.status_code == 200 and decided.json["status"] == "approved"
    assert phone.get("/api/v1/onboarding/applications").json["applications"][0][
        "reference"] == reference
    assert phone.client.get(base).status_code == 401  # no token, no answer


def test_a_customer_cannot_see_someone_elses_application(app, world, device):
    mine = device(world.customers[1].phone)
    reference = mine.post("/api/v1/onboarding/applications").json["reference"]
    other = device(world.customers[0].phone)
    assert other.get(f"/api/v1/onboarding/applications/{reference}").status_code == 404


def test_every_app_call_is_in_the_openapi_document(app, client):
    from workstation.onboarding.openapi import OPENAPI_PATHS

    routes = {re.sub(r"<(\w+)>", r"{\1}", r.rule) for r in app.url_map.iter_rules()
              if r.rule.startswith("/api/v1/onboarding")}
    assert routes == set(OPENAPI_PATHS)
    document = client.get("/api/v1/openapi.json").json
    assert "/api/v1/onboarding/applications/{reference}/card" in document["paths"]


def test_a_huge_upload_from_the_app_is_refused_before_it_is_read(app, world, device):
    app.config["ONBOARDING_IMAGE_MAX_BYTES"] = 100 * 1024
    phone = device(world.customers[1].phone)
    reference = phone.post("/api/v1/onboarding/applications").json["reference"]
    huge = phone.post(f"/api/v1/onboarding/applications/{reference}/documents/selfie",
                      data={"photo": (io.BytesIO(b"\xff\xd8\xff" + b"0" * 3 * 1024 * 1024),
                                      "selfie.jpg")}, content_type="multipart/form-data")
    assert huge.status_code == 413
    large = phone.post(f"/api/v1/onboarding/applications/{reference}/documents/selfie",
                       data={"photo": (io.BytesIO(b"\xff\xd8\xff" + b"0" * 300 * 1024),
                                       "selfie.jpg")}, content_type="multipart/form-data")
    assert large.status_code == 422 and "too large" in large.json["detail"]
