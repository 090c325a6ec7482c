"""The hash-chained audit log: appends, verification, tamper detection, the auditor's view."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select, text

from workstation import audit
from workstation.extensions import db
from workstation.models import AuditEvent


def _append(app, n):
    with app.app_context():
        for i in range(n):
            audit.record(audit.Actor.system("test"), "test.event", object_id=i)
            db.session.commit()


def test_chain_verifies_and_cli_reports_intact(app, runner):
    _append(app, 5)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "intact: 5 events" in result.output


def test_edited_row_is_found_by_audit_verify(app, runner):
    _append(app, 6)
    with app.app_context():
        third = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()[2]
        db.session.execute(
            text("UPDATE audit_events SET reason = 'nothing to see' WHERE id = :id"),
            {"id": third.id},
        )
        db.session.commit()
        broken_id = third.id
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at event {broken_id}" in result.output
    assert "2 events before it are intact" in result.output


def test_deleted_row_breaks_the_chain(app, runner):
    _append(app, 4)
    with app.app_context():
        db.session.execute(
            text("DELETE FROM audit_events WHERE id = (SELECT MIN(id) + 1 FROM audit_events)")
        )
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "does not link" in result.output


def test_deleting_the_newest_rows_is_noticed(app, runner):
    _append(app, 4)
    with app.app_context():
        db.session.execute(
            text("DELETE FROM audit_events WHERE id = (SELECT MAX(id) FROM audit_events)")
        )
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "removed" in result.output


def test_events_of_one_transaction_chain_and_a_rolled_back_one_leaves_no_trace(app, runner):
    from workstation.models import AuditChainHead

    actor = audit.Actor.system("test")
    with app.app_context():
        first = audit.record(actor, "test.first")
        second = audit.record(actor, "test.second")
        db.session.commit()
        audit.record(actor, "test.rolled_back")
        db.session.rollback()
        third = audit.record(actor, "test.third")
        db.session.commit()
        head = db.session.get(AuditChainHead, 1)
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [e.action for e in events] == ["test.first", "test.second", "test.third"]
        assert [e.prev_hash for e in events[1:]] == [first.hash, second.hash]
        assert (head.last_event_id, head.last_hash) == (third.id, third.hash)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact: 3 events" in result.output


def test_concurrent_appends_keep_one_unbroken_chain(app, runner):
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda _: _append(app, 10), range(4)))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "40 events" in result.output


def test_auditor_browses_filters_and_verifies(client, world, sign_in, app):
    sign_in(world.staff["auditor"])
    page = client.get("/audit/")
    assert page.status_code == 200 and "auth.sign_in" in page.get_data(as_text=True)
    filtered = client.get("/audit/?action=admin.", headers={"HX-Request": "true"})
    assert "No events match" in filtered.get_data(as_text=True)
    verify = client.get("/audit/verify", headers={"HX-Request": "true"})
    assert "Hash chain intact" in verify.get_data(as_text=True)


def test_agents_cannot_read_the_audit_log(client, world, sign_in):
    sign_in(world.staff["agent"])
    assert client.get("/audit/").status_code == 403
