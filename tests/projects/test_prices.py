"""District price lists: set a line (audited, the plan re-priced at once), refused values,
scope, and the workbook round trip with located errors."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from openpyxl import load_workbook

from campusplan.accounts.models import AuditEntry
from campusplan.usecases import prices
from campusplan.usecases.plans import plan_scope, planned
from tests.actors import as_user, operator
from tests.web.world import HAIDIAN, XICHENG

pytestmark = pytest.mark.django_db


def _lines(who, code=HAIDIAN):
    scope = plan_scope(actor=who, kind="district", code=code)
    return planned(actor=who, schools=scope.schools).lines


def test_a_district_price_reprices_its_plan_and_is_audited(world):
    who = as_user(world["haidian"])
    before = _lines(who)
    ap = before.filter(before["line"] == "security_camera")
    assert ap.height and not ap["priced"].any()
    assert prices.set_price(actor=who, district=HAIDIAN, key="security_camera",
                            unit_price=1800, source="海淀区2026年协议供货价",
                            priced_on="2026-11-20")
    after = _lines(who)
    cam = after.filter(after["line"] == "security_camera")
    assert cam["priced"].all() and set(cam["priced_by"]) == {"district"}
    assert cam["cost"].to_list() == [q * 1800 for q in cam["quantity"]]
    assert after.filter(after["funding"] == "unpriced").height < \
        before.filter(before["funding"] == "unpriced").height
    laptops = after.filter(after["line"] == "teacher_laptop")
    assert set(laptops["priced_by"]) == {"city"}  # untouched lines stay the city's
    entries = AuditEntry.objects.filter(object_type="price", object_key=f"{HAIDIAN}:security_camera")
    assert {e.field for e in entries} == {"unit_price", "source", "priced_on"}
    assert entries.get(field="unit_price").after == 1800
    # 西城 keeps the city's list
    xicheng = _lines(operator(), XICHENG)
    assert not xicheng.filter(xicheng["line"] == "security_camera")["priced"].any()


def test_refused_prices_write_nothing(world):
    who = as_user(world["haidian"])
    for kwargs in ({"unit_price": -1, "source": "x"}, {"unit_price": 100},  # no source
                   {"unit_price": 100, "source": "x", "priced_on": "2026-13-40"},
                   {"unit_price": 100, "source": "x", "service_life_years": 0}):
        with pytest.raises(prices.PriceInvalid) as exc:
            prices.set_price(actor=who, district=HAIDIAN, key="wireless_ap", **kwargs)
        assert exc.value.problems[0].zh and exc.value.problems[0].en
    with pytest.raises(prices.PriceInvalid):
        prices.set_price(actor=who, district=HAIDIAN, key="no_such", unit_price=1, source="x")
    assert not AuditEntry.objects.filter(object_type="price").exists()


def test_scope_of_a_price_list(world):
    with pytest.raises(Http404):
        prices.set_price(actor=as_user(world["haidian"]), district=XICHENG, key="wireless_ap",
                         unit_price=1, source="x")
    with pytest.raises(PermissionDenied):
        prices.set_price(actor=as_user(world["auditor"]), district=HAIDIAN, key="wireless_ap",
                         unit_price=1, source="x")
    with pytest.raises(PermissionDenied):
        prices.price_list(actor=as_user(world["school"]), district=HAIDIAN)


def test_workbook_round_trip_and_located_errors(world, tmp_path):
    who = as_user(world["haidian"])
    wb = load_workbook(io.BytesIO(prices.export_prices(actor=who, district=HAIDIAN).content))
    ws = wb.active
    header = [c.value for c in ws[1]]
    keys = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    row = keys.index("firewall") + 2
    ws.cell(row, header.index("单价（元）") + 1, 26000)
    ws.cell(row, header.index("来源") + 1, "海淀区2026年协议供货价")
    ws.cell(row, header.index("定价日期") + 1, "2026-11-02")
    path = tmp_path / "prices.xlsx"
    wb.save(path)
    result = prices.import_prices(actor=who, district=HAIDIAN, path=path)
    assert result.ok and result.changed == ["firewall"]  # the other rows repeat the list
    assert prices.import_prices(actor=who, district=HAIDIAN, path=path).changed == []
    plist = prices.price_list(actor=who, district=HAIDIAN)
    assert plist.catalog.by_key()["firewall"].unit_price == 26000
    assert plist.priced_on["firewall"] == "2026-11-02"

    ws.cell(row, header.index("单价（元）") + 1, "很贵")
    ws.cell(row + 1, header.index("使用年限") + 1, 0)
    wb.save(path)
    bad = prices.import_prices(actor=who, district=HAIDIAN, path=path)
    assert not bad.ok and not bad.changed
    where = {(p.where.row, p.where.column) for p in bad.problems}
    letter = "ABCDEFGH"
    assert (row, letter[header.index("单价（元）")]) in where
    assert (row + 1, letter[header.index("使用年限")]) in where
    assert prices.price_list(actor=who, district=HAIDIAN).catalog.by_key()[
        "firewall"].unit_price == 26000  # nothing written
