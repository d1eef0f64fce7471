"""Hostile values in every form and query string of the pages, drawn by hypothesis (the API's
list, tests/api/test_fuzz.py): sign-in, the fact form, the token form, the language switch, the
import upload (malformed multipart bodies and files), confirm/cancel tokens, and the filters
and sorting of the catalog, dashboards and school pages. Never a 5xx."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.test_fuzz import HOSTILE_TEXT, MULTIPART
from tests.web.world import HAIDIAN, A

pytestmark = pytest.mark.django_db

FORMS = {  # url → the fields its form posts
    "/accounts/login/": ["username", "password", "next"],
    f"/school/{A}/facts/video_retention_days/": ["value"],
    f"/school/{A}/facts/internet_bandwidth_mbps/": ["value"],
    "/accounts/tokens/": ["name"],
    "/i18n/setlang/": ["language", "next"],
}
PAGES = {  # url → the query parameters it reads
    "/catalog/": ["level", "stage", "area", "q"],
    "/city/": ["sort", "order", "page"],
    f"/district/{HAIDIAN}/": ["sort", "order", "page"],
    f"/school/{A}/": ["status", "level", "area", "q"],
    f"/school/{A}/audit/": ["page"],
}
PATHS = ["/school/{}/", "/district/{}/", "/import/{}/confirm/", "/import/{}/discard/",
         "/school/" + A + "/facts/{}/", "/catalog/item/{}/"]
EXAMPLES = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))
text = st.sampled_from(HOSTILE_TEXT)


def _ok(response, what):
    assert response.status_code < 500, (what, response.content[:300])
    return response.status_code


def test_every_form_survives_hostile_values(world, client):
    client.force_login(world["city"])
    seen = []

    @EXAMPLES
    @given(st.sampled_from(sorted(FORMS)), st.data())
    def run(url, data):
        fields = {f: data.draw(text) for f in FORMS[url] if data.draw(st.booleans())}
        seen.append(_ok(client.post(url, fields, HTTP_HX_REQUEST="true"), (url, fields)))

    run()
    assert 422 in seen  # the fact form refused some values, located next to the field


def test_every_page_survives_hostile_query_strings_and_paths(world, client):
    client.force_login(world["city"])

    @EXAMPLES
    @given(st.sampled_from(sorted(PAGES)), st.data())
    def pages(url, data):
        query = "&".join(f"{k}={quote(data.draw(text), safe='')}" for k in PAGES[url]
                         if data.draw(st.booleans()))
        _ok(client.get(f"{url}?{query}"), url + "?" + query[:200])

    @EXAMPLES
    @given(st.sampled_from(PATHS), text)
    def paths(pattern, value):
        url = pattern.format(quote(value, safe="") or "%20")
        method = client.post if "confirm" in url or "discard" in url else client.get
        _ok(method(url), url[:200])

    pages()
    paths()


def test_the_upload_survives_malformed_bodies_and_files(world, client):
    client.force_login(world["haidian"])

    @EXAMPLES
    @given(st.sampled_from(MULTIPART), st.sampled_from(HOSTILE_TEXT))
    def run(body, name):
        content_type, raw = body
        _ok(client.generic("POST", "/import/", raw.replace(b'name="files"', b'name="file"'),
                           content_type=content_type), raw[:200])
        upload = {"file": (name[:200] or "x") + ".csv"}
        _ok(client.post("/import/", {"file": _file(upload["file"], name)}), upload)

    run()


def _file(name: str, content: str):
    f = io.BytesIO(("Company,Asset Tag,Category\n" + content[:5000] + ",T-1,Teacher Computers\n")
                   .encode("utf-8", "surrogatepass"))
    f.name = name
    return f
