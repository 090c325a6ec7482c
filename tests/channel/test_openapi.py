"""`/api/v1/openapi.json` describes every customer JSON endpoint of the sign-in and task areas."""

from __future__ import annotations

import re


def _routes(app, prefix: str) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(prefix):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            found |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def test_openapi_lists_every_customer_endpoint(client, app):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    described = {(path, method) for path, ops in document["paths"].items() for method in ops}
    for prefix in ("/api/v1/customer/auth", "/api/v1/customer/tasks"):
        routes = _routes(app, prefix)
        assert routes and routes <= described, routes - described
    refs = re.findall(r'"\$ref": "#/components/schemas/(\w+)"', str(document).replace("'", '"'))
    assert set(refs) <= set(document["components"]["schemas"])
