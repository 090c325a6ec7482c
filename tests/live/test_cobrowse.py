"""Co-browsing: both sides see typing; a private field's clear value never reaches staff; the
customer sends the form and its changes are applied once their ID number checks out."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.live.builders import emit, frames
from workstation.extensions import db
from workstation.live.models import LiveSession

SECRET = "Rosebud-1987"


def _open_form(live, form="contact_update"):
    ack = emit(live.agent_tab, "live:form:open", {"session_id": live.session_id, "form": form},
               "/staff")
    assert ack["ok"], ack
    return ack["form"]


def _consent(live, granted=True):
    ack = emit(live.customer_tab, "live:consent",
               {"session_id": live.session_id, "kind": "cobrowse", "granted": granted},
               "/customer")
    assert ack["ok"]


def test_typing_syncs_both_ways_after_consent(app, live):
    form = _open_form(live)
    opened = frames(live.customer_tab, "/customer", "live:form:opened")[0]["form"]
    assert opened["consent"] is None and opened["name"] == "contact_update"
    assert [f["private"] for f in form["fields"]] == [False, False, True]
    early = emit(live.customer_tab, "live:form", {"session_id": live.session_id,
                                                  "field": "address", "value": "x"}, "/customer")
    assert early["error"]["code"] == "no_cobrowse_consent"
    _consent(live)
    live.agent_tab.get_received("/staff")
    assert emit(live.customer_tab, "live:form", {"session_id": live.session_id,
                                                 "field": "address", "value": "1 Long Street"},
                "/customer")["ok"]
    seen = frames(live.agent_tab, "/staff", "live:form")
    assert seen == [{"session_id": live.session_id, "field": "address", "by": "customer",
                     "value": "1 Long Street", "private": False}]
    assert emit(live.agent_tab, "live:form", {"session_id": live.session_id,
                                              "field": "email", "value": "wf@example.cn"},
                "/staff")["ok"]
    assert frames(live.customer_tab, "/customer", "live:form")[-1]["value"] == "wf@example.cn"


def test_private_field_value_never_reaches_staff(app, live):
    _open_form(live)
    _consent(live)
    live.agent_tab.get_received("/staff")
    for typed in range(1, len(SECRET) + 1):
        ack = emit(live.customer_tab, "live:form", {"session_id": live.session_id,
                                                    "field": "id_number",
                                                    "length": typed}, "/customer")
        assert ack["ok"]
    # A client that wrongly sends the value is refused whole: nothing stored, nothing relayed.
    leak = emit(live.customer_tab, "live:form", {"session_id": live.session_id,
                                                 "field": "id_number", "value": SECRET,
                                                 "length": len(SECRET)}, "/customer")
    assert leak["error"]["code"] == "private_value_refused"
    staff_frames = frames(live.agent_tab, "/staff")
    assert staff_frames[-1]["value"] == "•" * len(SECRET)
    assert SECRET not in json.dumps(staff_frames, ensure_ascii=False)
    state = emit(live.agent_tab, "live:join", {"session_id": live.session_id}, "/staff")
    assert state["session"]["form"]["values"]["id_number"] == "•" * len(SECRET)
    assert SECRET not in json.dumps(state)
    with app.app_context():
        stored = db.session.scalar(select(LiveSession.form_values))
        assert SECRET not in json.dumps(stored)
    staff_edit = emit(live.agent_tab, "live:form", {"session_id": live.session_id,
                                                    "field": "id_number", "value": "x"},
                      "/staff")
    assert staff_edit["error"]["code"] == "private_field"


def test_refused_cobrowse_blocks_typing(app, live):
    _open_form(live)
    _consent(live, granted=False)
    assert frames(live.agent_tab, "/staff", "live:consent")[-1]["granted"] is False
    ack = emit(live.agent_tab, "live:form", {"session_id": live.session_id,
                                             "field": "address", "value": "x"}, "/staff")
    assert ack["error"]["code"] == "no_cobrowse_consent"
    sent = emit(live.customer_tab, "live:form:send", {"session_id": live.session_id,
                                                      "private": {}}, "/customer")
    assert sent["error"]["code"] == "no_cobrowse_consent"


def test_bad_form_input(app, live):
    assert emit(live.agent_tab, "live:form:open", {"session_id": live.session_id,
                                                   "form": "../etc"}, "/staff")["ok"] is False
    _open_form(live)
    _consent(live)
    too_long = emit(live.customer_tab, "live:form", {"session_id": live.session_id,
                                                     "field": "address", "value": "a" * 201},
                    "/customer")
    assert too_long["error"]["code"] == "bad_value"
    negative = emit(live.customer_tab, "live:form", {"session_id": live.session_id,
                                                     "field": "id_number", "length": -1},
                    "/customer")
    assert negative["ok"] is False


def _send(live, id_number):
    return emit(live.customer_tab, "live:form:send",
                {"session_id": live.session_id, "private": {"id_number": id_number}}, "/customer")


def test_the_customer_sends_the_form_and_the_record_changes_once_the_id_number_matches(
        app, live, world, caplog):
    from workstation.live.models import ChatMessage
    from workstation.models import AuditEvent, Customer

    wang = world.customers[0]
    _open_form(live)
    _consent(live)
    for field, value in (("address", "Chaoyang Road 88, Beijing"), ("email", "wf@example.cn")):
        emit(live.customer_tab, "live:form", {"session_id": live.session_id, "field": field,
                                              "value": value}, "/customer")
    wrong = "11010119900307001X" if wang.id_number != "11010119900307001X" else "110101199003070028"
    refused = _send(live, wrong)
    assert refused["error"]["code"] == "id_mismatch" and "2 tries left" in \
        refused["error"]["message"]
    with app.app_context():
        assert db.session.get(Customer, wang.id).address != "Chaoyang Road 88, Beijing"
    live.agent_tab.get_received("/staff")
    sent = _send(live, wang.id_number.lower())  # as typed on a phone keyboard
    assert sent["ok"], sent
    with app.app_context():
        customer = db.session.get(Customer, wang.id)
        assert (customer.address, customer.email) == ("Chaoyang Road 88, Beijing",
                                                      "wf@example.cn")
        rows = db.session.execute(select(AuditEvent.outcome, AuditEvent.detail).where(
            AuditEvent.action == "customer.contact_update").order_by(AuditEvent.id)).all()
        chat = db.session.scalars(select(ChatMessage.body)).all()
        session = db.session.get(LiveSession, live.session_id)
        assert not session.form_name  # the form closed
    assert [r.outcome for r in rows] == ["wrong_id_number", "ok"]
    assert '"changed": ["address", "email"]' in rows[1].detail
    assert "The customer updated their postal address, e-mail." in chat
    staff_frames = frames(live.agent_tab, "/staff")
    assert {"session_id": live.session_id, "changed": ["address", "email"]} in [
        f for f in staff_frames if "changed" in f]
    everything = json.dumps(staff_frames) + json.dumps([r.detail for r in rows]) + caplog.text
    assert wang.id_number not in everything and wang.id_number.lower() not in everything
    again = _send(live, wang.id_number)
    assert again["error"]["code"] == "no_form"


def test_three_wrong_id_numbers_close_the_form_for_the_session(app, live, world):
    _open_form(live)
    _consent(live)
    emit(live.customer_tab, "live:form", {"session_id": live.session_id, "field": "address",
                                          "value": "Somewhere 1"}, "/customer")
    for _ in range(3):
        assert _send(live, "110101199003070028")["error"]["code"] in ("id_mismatch",)
    assert _send(live, world.customers[0].id_number)["error"]["code"] == "too_many_attempts"
    assert _send(live, "short")["error"]["code"] == "too_many_attempts"
