"""Every script and stylesheet comes from our own static files — never a CDN."""

import re
import urllib.request

import pytest
from django.contrib.staticfiles import finders

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("member")]

VENDOR = ["vendor/htmx.min.js", "vendor/echarts.min.js", "vendor/pico.min.css"]
ASSET = re.compile(r'<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"')


@pytest.mark.parametrize("url", ["/catalog/", "/catalog/item/1/", "/catalog/params/"])
def test_pages_load_assets_only_from_static(client, url):
    assets = ASSET.findall(client.get(url).content.decode())
    assert assets
    assert all(a.startswith("/static/") for a in assets), assets
    assert "http://" not in str(assets) and "https://" not in str(assets)


def test_vendor_files_are_present():
    missing = [path for path in VENDOR if not finders.find(path)]
    assert not missing, f"run `make setup` to vendor {missing}"


def test_live_server_serves_vendor_files(live_server):
    for path in [*VENDOR, "web/catalog.js", "web/campusplan.css"]:
        with urllib.request.urlopen(f"{live_server.url}/static/{path}") as response:
            assert response.status == 200
            assert len(response.read()) > 100
