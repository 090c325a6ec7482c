def test_health_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"]["status"] == "ok"


def test_agent_signs_in_and_searches(client, world, sign_in):
    page = sign_in(world.staff["agent"])
    assert "Good day" in page.get_data(as_text=True)
    hits = client.get("/customers/search?q=Wang", headers={"HX-Request": "true"})
    assert "Wang Fang" in hits.get_data(as_text=True)
