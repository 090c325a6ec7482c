"""The command line and the expiry job: push from a shell, expire each task exactly once."""

from __future__ import annotations

import json
import threading

from sqlalchemy import func, select

from tests.channel.builders import push
from workstation.extensions import db
from workstation.tasks.handlers import _handlers, register_answer_handler
from workstation.tasks.models import CustomerTask
from workstation.tasks.service import expire_due_tasks


def test_cli_pushes_lists_and_expires(runner, app, world):
    wang = world.customers[0]
    pushed = runner.invoke(args=["tasks", "push", wang.customer_no, "notice",
                                 '{"message": "Branch closes early today"}',
                                 "--expires-in", "600", "--subject", "branch_notice:BJ01"])
    assert pushed.exit_code == 0, pushed.output
    created = json.loads(pushed.output)
    assert created["seq"] == 1
    listed = runner.invoke(args=["tasks", "list", str(wang.id)])
    [line] = listed.output.strip().splitlines()
    assert json.loads(line)["payload"] == {"message": "Branch closes early today"}
    for bad in (["tasks", "push", "nobody", "notice", "{}"],
                ["tasks", "push", wang.customer_no, "notice", "not json"],
                ["tasks", "push", wang.customer_no, "teleport", "{}"]):
        refused = runner.invoke(args=bad)
        assert refused.exit_code != 0 and "Error" in refused.output, bad
    assert "expired 0 task(s)" in runner.invoke(args=["tasks", "expire"]).output


def test_concurrent_expiry_runs_close_each_task_once(app, world):
    closed = []
    register_answer_handler("race_probe", lambda answer: closed.append(answer.task.public_id))
    try:
        for _ in range(30):
            push(app, world.customers[0].id, "notice", {"message": "m"},
                 subject=("race_probe", 1), expires_in=5)
        with app.app_context():
            db.session.execute(CustomerTask.__table__.update().values(
                expires_at=func.current_timestamp()))
            db.session.commit()
        counts = []

        def worker():
            with app.app_context():
                total = 0
                while True:
                    done = expire_due_tasks(batch=5)
                    total += done
                    if not done:
                        break
                counts.append(total)

        threads = [threading.Thread(target=worker) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        _handlers.pop("race_probe", None)
    assert sum(counts) == 30
    assert len(closed) == 30 and len(set(closed)) == 30
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(CustomerTask.status == "expired")) \
            == 30
