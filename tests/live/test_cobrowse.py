"""Co-browsing: both sides see typing; a private field's clear value never reaches staff."""

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
    assert [f["private"] for f in form["fields"]] == [False, False, False, True]
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
                                                    "field": "security_answer",
                                                    "length": typed}, "/customer")
        assert ack["ok"]
    # A client that wrongly sends the value is refused whole: nothing stored, nothing relayed.
    leak = emit(live.customer_tab, "live:form", {"session_id": live.session_id,
                                                 "field": "security_answer", "value": SECRET,
                                                 "length": len(SECRET)}, "/customer")
    assert leak["error"]["code"] == "private_value_refused"
    staff_frames = frames(live.agent_tab, "/staff")
    assert staff_frames[-1]["value"] == "•" * len(SECRET)
    assert SECRET not in json.dumps(staff_frames, ensure_ascii=False)
    state = emit(live.agent_tab, "live:join", {"session_id": live.session_id}, "/staff")
    assert state["session"]["form"]["values"]["security_answer"] == "•" * len(SECRET)
    assert SECRET not in json.dumps(state)
    with app.app_context():
        stored = db.session.scalar(select(LiveSession.form_values))
        assert SECRET not in json.dumps(stored)
    staff_edit = emit(live.agent_tab, "live:form", {"session_id": live.session_id,
                                                    "field": "security_answer", "value": "x"},
                      "/staff")
    assert staff_edit["error"]["code"] == "private_field"


def test_refused_cobrowse_blocks_typing(app, live):
    _open_form(live, "card_replacement")
    _consent(live, granted=False)
    assert frames(live.agent_tab, "/staff", "live:consent")[-1]["granted"] is False
    ack = emit(live.agent_tab, "live:form", {"session_id": live.session_id,
                                             "field": "delivery_address", "value": "x"}, "/staff")
    assert ack["error"]["code"] == "no_cobrowse_consent"


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
                                                     "field": "security_answer", "length": -1},
                    "/customer")
    assert negative["ok"] is False
