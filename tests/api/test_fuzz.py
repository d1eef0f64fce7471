"""Hostile values at every API operation, drawn by hypothesis: `inf`, `nan`, `1e999`, numbers of
400 digits, text of 100,000 characters, control and bidirectional characters, path tricks,
markup, spreadsheet formulas, JSON bodies with Infinity/NaN literals, and malformed multipart
bodies. Whatever comes, the answer is never a 5xx (schemathesis, beside it, checks that valid
and invalid requests of the schema's own shape conform to the document).

The operations are read from the OpenAPI document, so a new operation is fuzzed without being
listed here. Path parameters are drawn half from the world's real values (to reach the
handler's own validation) and half from the hostile list."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campusplan.api.app import api
from tests.api.world import HD, HD1

pytestmark = pytest.mark.django_db

HOSTILE_TEXT = ["inf", "-inf", "Infinity", "nan", "NaN", "1e999", "-1e999", "9" * 400,
                "-" + "9" * 400, "0x10", "1_000", "", " ", "x" * 100_000, "长" * 5000,
                "\u202e1101080101", "\x00", "\ufeff", "１１０", "../../etc/passwd", "a/b",
                "<b>x</b>", "=cmd|' /C calc'!A0", "' OR 1=1 --", "%00", "true", "null", "[]",
                "{}", "-1", "2147483648", "9223372036854775808", "1.5", "%ED%A0%80"]
HOSTILE_JSON = [float("inf"), float("-inf"), float("nan"), 10**400, -(10**400), 1e308,
                2**63, -1, 0, 1.5, True, None, "", "x" * 100_000, "\u202e", [], {}, [None],
                {"value": float("nan")}, "inf", "1e999", "\x00"]
RAW_BODIES = ['{"value": 1e999}', '{"value": -1e999}', '{"value": NaN}', '{"value": Infinity}',
              '{"value": ' + "9" * 5000 + "}", '{"value": 1e-99999}', "[]", "null", "",
              '{"value": "\\ud800"}', "{" * 5000, '{"school": "' + "x" * 100_000 + '"}']
MULTIPART = [
    ("multipart/form-data", b"--x\r\n\r\n--x--"),
    ("multipart/form-data; boundary=", b"--\r\n"),
    ("multipart/form-data; boundary=x", b"garbage without any boundary"),
    ("multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="files"; '
     b'filename="../../a.json"\r\n\r\n{"code": "1e999", "facts": {"x": Infinity}}\r\n--x--\r\n'),
    ("multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="files"; '
     b'filename="' + b"a" * 5000 + b'.xlsx"\r\n\r\nPK\x03\x04 not a zip\r\n--x'),
    ("multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="dry_run"'
     b'\r\n\r\ninf\r\n--x\r\nContent-Disposition: form-data; name="limit"\r\n\r\n1e999\r\n--x--'),
    ("application/x-www-form-urlencoded", b"files=%00&dry_run=nan"),
]
REAL = {"code": [HD1, HD], "key": ["video_retention_days", "internet_bandwidth_mbps"],
        "number": ["6", "46"], "room": ["101"], "service_id": ["1"], "run_id": ["1"]}


def operations() -> list[tuple[str, str, dict]]:
    doc = api.get_openapi_schema(path_prefix="/api/v1/")
    return [(method.upper(), path, op) for path, ops in doc["paths"].items()
            for method, op in ops.items()]


OPERATIONS = operations()


def _body_props(op: dict, doc: dict) -> list[str]:
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}) \
        .get("schema", {})
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return list(schema.get("properties", {})) or ["value"]


@st.composite
def requests(draw, method: str, path: str, op: dict, doc: dict):
    url = path
    for param in op.get("parameters", []):
        if param["in"] == "path":
            pool = REAL.get(param["name"], []) + HOSTILE_TEXT
            value = draw(st.sampled_from(REAL.get(param["name"], ["1"])) if draw(st.booleans())
                         else st.sampled_from(pool))
            url = url.replace("{" + param["name"] + "}", quote(value, safe="") or "%20")
    query = {p["name"]: draw(st.sampled_from(HOSTILE_TEXT)) for p in op.get("parameters", [])
             if p["in"] == "query" and draw(st.booleans())}
    content = op.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        return url, query, draw(st.sampled_from(MULTIPART))
    if "application/json" in content:
        if draw(st.booleans()):
            return url, query, ("application/json", draw(st.sampled_from(RAW_BODIES)).encode())
        body = {k: draw(st.sampled_from(HOSTILE_JSON)) for k in _body_props(op, doc)}
        return url, query, ("application/json", json.dumps(body).encode())
    return url, query, None


DOC = api.get_openapi_schema(path_prefix="/api/v1/")


def test_every_operation_survives_hostile_values(client, module_world, settings):
    settings.CAMPUSPLAN_API_RATE = "1000000/min"  # the rate limit has its own tests
    headers = module_world.headers("city")
    seen = []
    for method, path, op in OPERATIONS:
        _fuzz(client, headers, method, path, op, seen)
    assert len({(m, p) for m, p, _s in seen}) == len(OPERATIONS)  # every operation was reached
    assert any(s == 422 for _m, _p, s in seen) and any(s == 200 for _m, _p, s in seen)


def _fuzz(client, headers, method, path, op, seen) -> None:
    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(requests(method, path, op, DOC))
    def run(request):
        url, query, body = request
        kwargs = dict(headers)
        if query:
            url += "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())
        if body is not None:
            kwargs |= {"content_type": body[0], "data": body[1]}
        response = client.generic(method, url, **kwargs)
        assert response.status_code < 500, (method, url, body and body[1][:200],
                                            response.content[:300])
        seen.append((method, path, response.status_code))

    run()
