"""ICE_SERVERS: a JSON list of RTCIceServer objects; anything else is ignored."""

from workstation.live.signaling import parse_ice_servers


def test_ice_servers_are_read_from_json():
    raw = '[{"urls": ["stun:stun.example.cn:3478"]}, {"urls": "turn:t.example.cn", ' \
          '"username": "u", "credential": "c"}]'
    assert len(parse_ice_servers(raw)) == 2


def test_bad_ice_servers_fall_back_to_none():
    for raw in (None, "", "not json", '{"urls": "x"}', '[{"url": "x"}]', "[1]"):
        assert parse_ice_servers(raw) == []
