"""校际差异系数 by the official method, against the worked examples of youzhi-junheng.md §3."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campusplan.engine.equity import (
    Unit,
    school_units,
    spread_of_sums,
    spreads,
    stage_shares,
    unweighted_cv,
    weighted_cv,
)
from tests.engine.helpers import CATALOG
from tests.spec_text import spec_file

# §3.1 "县域义务教育校际均衡指标计算方法（以生均图书册数为例）": 5 小学, students 45/37/89/76/55,
# books 279/137/935/160/402; "差异情况 = (该校学生数 / 全县学生数) ×（该校生均册数 − 全县生均册数）²",
# "差异系数 = √(全县各校差异情况之和) ÷ 全县生均册数" → X̄ = 1913/302 = 6.334, CV = 0.515 ("0.52");
# "An unweighted population CV on the same data would be 0.489."
STUDENTS = [45, 37, 89, 76, 55]
BOOKS = [279, 137, 935, 160, 402]
WEIGHTS = {"primary": 1.0, "junior": 1.1, "senior": 1.32}  # 1 : 1.1 : 1.32 (§3.2)


def test_the_worked_example_is_student_weighted():
    s = weighted_cv(zip(BOOKS, STUDENTS, strict=True))
    assert s.n == 5 and s.mean == pytest.approx(1913 / 302)
    assert s.sd == pytest.approx(3.264, abs=5e-4)
    assert round(s.cv, 3) == 0.515 and round(s.cv, 2) == 0.52


def test_its_unweighted_counterpart_is_not_the_official_figure():
    s = unweighted_cv(b / p for b, p in zip(BOOKS, STUDENTS, strict=True))
    assert round(s.cv, 3) == 0.489


def test_the_nine_year_split_of_the_worked_example():
    """§3.2 (S22): 23226 books, 166 小学 + 210 初中 students → 58.5 books per pupil, 小学 9711 /
    初中 13515; 小学部 weight = A/(A+1.1B), 初中部 = 1.1B/(A+1.1B)."""
    shares = stage_shares({"primary": 166, "junior": 210}, WEIGHTS)
    assert shares["primary"] == pytest.approx(166 / (166 + 1.1 * 210))
    units = school_units("X", 23226, {"primary": 166, "junior": 210}, WEIGHTS,
                         ("primary", "junior"))
    assert [(u.stage, u.base) for u in units] == [("primary", 166), ("junior", 210)]
    assert units[0].amount == pytest.approx(9711, abs=1)
    assert units[1].amount == pytest.approx(13515, abs=1)
    per_pupil = 23226 / (166 + 1.1 * 210)
    assert per_pupil == pytest.approx(58.5, abs=0.01)


def test_a_complete_secondary_school_counts_by_its_junior_section():
    """完全中学: 初中部 = B/(B+1.2C) (初中 : 高中 = 1 : 1.2, i.e. 1.1 : 1.32)."""
    units = school_units("X", 1000, {"junior": 400, "senior": 600}, WEIGHTS,
                         ("primary", "junior"))
    assert [u.stage for u in units] == ["junior"]
    assert units[0].amount == pytest.approx(1000 * 400 / (400 + 1.2 * 600))


def test_stages_are_judged_separately_with_their_thresholds():
    """所有指标校际差异系数，小学均小于或等于0.50，初中均小于或等于0.45 (≤: 以下 includes the number)."""
    units = [Unit("D", "primary", b, p) for b, p in zip(BOOKS, STUDENTS, strict=True)]
    units += [Unit("D", "junior", 10, 10), Unit("D", "junior", 20, 10)]  # X = 1, 2: CV 1/3
    out = spreads(units, {"primary": 0.50, "junior": 0.45})
    assert out["D", "primary"].ok is False and out["D", "junior"].ok is True
    assert out["D", "junior"].cv == pytest.approx(1 / 3)


@pytest.mark.parametrize(("threshold", "ok"), [(0.3333, False), (1 / 3, True), (0.34, True)])
def test_the_threshold_includes_its_value(threshold, ok):
    units = [Unit("D", "junior", 10, 10), Unit("D", "junior", 20, 10)]
    assert spreads(units, {"junior": threshold})["D", "junior"].ok is ok


def test_unknown_amounts_and_empty_units_are_left_out():
    s = weighted_cv([(None, 10), (5, 0), (10, 10), (20, 10)])
    assert s.n == 2 and s.cv == pytest.approx(1 / 3)
    assert weighted_cv([]).cv is None and stage_shares({"primary": None}, WEIGHTS) is None


YOUZHI = spec_file("youzhi-junheng.md")


def test_the_catalog_s_equity_parameters_are_the_document_s():
    """Thresholds, split weights and the IT indicator's standard, each found in youzhi-junheng.md:
    "校际差异系数 小学≤0.50、初中≤0.45"; "小 : 初 : 高 = 1 : 1.1 : 1.32";
    "每百名学生拥有网络多媒体教室数：小学、初中分别达到2.3间以上、2.4间以上"."""
    eq = CATALOG.standard.indicators.equity
    text = YOUZHI.read_text(encoding="utf-8")
    assert eq.thresholds == {"primary": 0.50, "junior": 0.45} and eq.stages == ["primary", "junior"]
    assert "小学≤0.50、初中≤0.45" in text and "小 : 初 : 高 = 1 : 1.1 : 1.32" in text
    assert eq.stage_weights == WEIGHTS
    rooms = next(m for m in eq.measures if m.key == "multimedia_rooms_per_100")
    assert rooms.standard == {"primary": 2.3, "junior": 2.4}
    assert "每百名学生拥有网络多媒体教室数：小学、初中分别达到2.3间以上、2.4间以上" in text
    ratios = {r.key for r in CATALOG.standard.indicators.ratios}
    assert {m.key for m in eq.measures} <= ratios


def _sums(pairs):
    known = [(x, p) for x, p in pairs if p > 0]
    return (len(known), sum(x for x, _p in known), sum(p for _x, p in known),
            sum(x * x / p for x, p in known))


def test_the_worked_example_from_sums():
    """What the dashboards compute in the database (n, Σx, ΣP, Σx²/P) gives §3.1's figure."""
    s = spread_of_sums(*_sums(zip(BOOKS, STUDENTS, strict=True)), threshold=0.50)
    assert s.n == 5 and s.mean == pytest.approx(1913 / 302)
    assert round(s.cv, 3) == 0.515 and s.ok is False
    assert spread_of_sums(0, 0.0, 0.0, 0.0).cv is None


@given(st.lists(st.tuples(st.floats(0, 1e5), st.floats(0.5, 5e3)), min_size=1, max_size=60))
def test_sums_give_the_method_s_cv(pairs):
    """The expanded S² equals the method's Σ (P_i/P)(X_i − X̄)² on any units."""
    direct, summed = weighted_cv(pairs), spread_of_sums(*_sums(pairs))
    assert summed.n == direct.n
    assert summed.mean == pytest.approx(direct.mean, rel=1e-12)
    if direct.cv is None:
        assert summed.cv is None
    else:
        assert summed.cv == pytest.approx(direct.cv, rel=1e-6, abs=1e-6)
