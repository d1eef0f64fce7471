import pytest

from tests.web.world import HAIDIAN

pytestmark = pytest.mark.django_db


def test_pages(world, login):
    c = login(world["haidian"])
    for url in [f"/district/{HAIDIAN}/plan/", f"/district/{HAIDIAN}/prices/", "/prices/",
                f"/district/{HAIDIAN}/projects/", f"/district/{HAIDIAN}/plan.xlsx",
                f"/district/{HAIDIAN}/plan.docx", f"/district/{HAIDIAN}/prices.xlsx"]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.content[:3000])
