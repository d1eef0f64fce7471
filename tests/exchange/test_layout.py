"""Cells ⇄ values: coercions, formula-injection neutralising, header aliases."""

import datetime as dt
import math

import pytest

from campusplan.exchange.layout import neutralize, normal, to_bool, to_number, unneutralize


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_dangerous_text_is_neutralised_and_restored(text):
    assert neutralize(text) == "'" + text
    assert unneutralize(neutralize(text)) == text


def test_plain_text_untouched():
    assert neutralize("海淀实验小学") == "海淀实验小学"
    assert unneutralize("'quoted") == "'quoted"


@pytest.mark.parametrize(("cell", "value"), [("是", True), ("否", False), ("Yes", True), (0, False),
                                             (True, True), ("maybe", "maybe")])
def test_booleans(cell, value):
    assert to_bool(cell) == value


@pytest.mark.parametrize(("cell", "value"), [("1,000", 1000), ("12.5", 12.5), (3.0, 3),
                                             ("abc", "abc"), (7, 7)])
def test_numbers(cell, value):
    assert to_number(cell) == value and type(to_number(cell)) is type(value)


def test_header_aliases(layout):
    cols = layout.role_columns("school")
    for header in ("学校标识码", "School code", "code", " 学校标识码 "):
        assert cols[normal(header)].key == "code"
    for header in ("互联网接入带宽（Mbps）", "互联网接入带宽(Mbps)", "internet_bandwidth_mbps",
                   "Internet access bandwidth (Mbps)"):
        assert cols[normal(header)].key == "fact.internet_bandwidth_mbps"


def test_column_round_trip(layout):
    cols = {c.key: c for c in layout.school_columns}
    cases = {"district": "110108", "type": "312", "smart_phase": "pilot",
             "approved_data_center": True, "fact.internet_bandwidth_mbps": 1000,
             "smart_since": "2024-09-01", "name": "-负号开头的学校"}
    for key, value in cases.items():
        cell = cols[key].to_cell(value)
        if isinstance(cell, dt.date):
            cell = dt.datetime.combine(cell, dt.time())  # what openpyxl reads back
        assert cols[key].from_cell(cell) == value, key


def test_a_cell_with_a_non_finite_or_huge_number_reads_as_a_value_the_validator_refuses():
    """1e999, inf, nan and a 400-digit number typed in a survey cell: no exception here; the
    document's validator refuses them with a located reason (tests/engine/test_implausible.py)."""
    for text in ("1e999", "inf", "nan", "1" * 400):
        value = to_number(text)
        assert isinstance(value, float) and not math.isfinite(value), text
