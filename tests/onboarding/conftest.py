"""Fixtures for the card application tests: a signed-in staff page and a customer's device."""

from __future__ import annotations

import pytest

from tests.channel.builders import api_sign_in


class Device:
    """The customer's phone speaking the JSON protocol with its bearer token."""

    def __init__(self, app, phone: str) -> None:
        self.client = app.test_client()
        self.token = api_sign_in(self.client, app, phone)["token"]
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str):
        return self.client.get(path, headers=self.headers)

    def post(self, path: str, **kwargs):
        return self.client.post(path, headers=self.headers, csrf=False, **kwargs)

    def tasks(self, kind: str | None = None) -> list[dict]:
        listed = self.get("/api/v1/customer/tasks").json["tasks"]
        return [t for t in listed if kind is None or t["kind"] == kind]

    def answer(self, task: dict, data: dict, decision: str = "accept"):
        return self.post(f"/api/v1/customer/tasks/{task['id']}/answer",
                         json={"payload_hash": task["payload_hash"], "decision": decision,
                               "data": data})

    def upload(self, task: dict, content: bytes, filename: str = "photo.jpg",
               mimetype: str = "image/jpeg"):
        import io

        return self.post(f"/api/v1/customer/tasks/{task['id']}/answer",
                         data={"payload_hash": task["payload_hash"], "decision": "accept",
                               "file": (io.BytesIO(content), filename, mimetype)},
                         content_type="multipart/form-data")


@pytest.fixture
def device(app):
    """Sign a customer's phone in by phone number: device(phone) -> Device."""
    return lambda phone: Device(app, phone)
