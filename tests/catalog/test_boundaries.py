"""Boundaries follow the Chinese drafting convention, read from the catalog rule by rule.

民法典 第一千二百五十九条: 「民法所称的“以上”、“以下”、“以内”、“届满”，包括本数；所称的“不满”、
“超过”、“以外”，不包括本数」. The standard does not say it; the catalog declares it as a reading
(`boundaries:` in beijing.yaml) and every comparison with a parameter whose quote carries one of
these words is tested here at n−1, n and n+1.
"""

from __future__ import annotations

import pytest
import yaml

from campusplan.catalog import expr, load_catalog
from campusplan.catalog.boundaries import boundary_params, bounds, problems, word_in
from campusplan.catalog.expr_python import evaluate
from campusplan.catalog.loader import STANDARDS_DIR, read_yaml
from campusplan.catalog.schema import Standard
from campusplan.catalog.validate import validate

CIVIL_CODE_1259 = ("民法所称的“以上”、“以下”、“以内”、“届满”，包括本数；"
                   "所称的“不满”、“超过”、“以外”，不包括本数")
STANDARD = load_catalog().standard
BOUNDS = bounds(STANDARD)

# "x is <word> n" at x = n−1, n, n+1, derived from the article: 以上/以下/以内 include n, 不满/超过
# exclude it; 不少于/不低于/不小于/不超过 negate 少于/低于/小于/超过, so they include n.
TRUTH = {
    "以上": (False, True, True), "及以上": (False, True, True),
    "以下": (True, True, False), "以内": (True, True, False),
    "超过": (False, False, True), "不满": (True, False, False),
    "不超过": (True, True, False), "不能超过": (True, True, False),
    "不少于": (False, True, True), "不低于": (False, True, True), "不小于": (False, True, True),
    "大于等于": (False, True, True), "至少": (False, True, True),
}


def test_the_convention_is_declared_with_its_legal_source():
    b = STANDARD.boundaries
    assert b is not None and b.source.quote == CIVIL_CODE_1259
    assert (b.source.title, b.source.article) == ("中华人民共和国民法典", "第一千二百五十九条")
    assert "解读" in b.note and "Reading" in b.note


@pytest.mark.parametrize("word", sorted(TRUTH))
def test_each_word_reads_as_the_article_says(word):
    op = {w.word: w.means for w in STANDARD.boundaries.words}[word]
    got = tuple(evaluate(expr.parse(f"{v} {op} 30"), _no_refs) for v in (29, 30, 31))
    assert got == TRUTH[word]


def test_every_declared_word_is_pinned_here():
    assert {w.word for w in STANDARD.boundaries.words} == set(TRUTH)


def test_longest_word_wins():
    b = STANDARD.boundaries
    assert word_in("原则上不能超过3间智慧教室", b).word == "不能超过"
    assert word_in("24个班级规模及以上", b).word == "及以上"
    assert word_in("教师用计算机1台", b) is None


@pytest.mark.parametrize("bound", BOUNDS, ids=[f"{b.where}:{b.param.key}" for b in BOUNDS])
def test_comparison_places_the_boundary_as_its_word_says(bound):
    """The comparison, at n−1, n, n+1, is the word's set or exactly its complement."""
    n = float(bound.param.value)
    node = expr.parse(f"fact.x {bound.op} {n}")
    got = tuple(evaluate(node, lambda _ns, _name, v=v: v) for v in (n - 1, n, n + 1))
    want = TRUTH[bound.word.word]
    assert got in (want, tuple(not t for t in want)), (bound.text, bound.param.source.quote)


def test_every_boundary_parameter_a_check_reads_is_compared():
    """teacher_computer_ratio (以不低于1:1配比) is a ratio's parameter, not a threshold: the ratio
    kind compares computers >= ceil(teachers / ratio), inclusive (tests/engine/test_kinds.py).
    ip_spare (「至少1个(选配)」) is one summand of 5-r3's `room.info_points >= …` — the sum of the
    recommended outlets plus at least one spare: inclusive, as 至少 is."""
    placed = {b.param.key for b in BOUNDS}
    read = set()
    for _a, _i, req in STANDARD.requirements():
        for text in [*req.check.reads().values(), req.applies or ""]:
            read |= {n for ns, n in expr.refs(expr.parse(text)) if ns == "param"} if text else set()
    assert set(boundary_params(STANDARD)) & read - placed == {"teacher_computer_ratio", "ip_spare"}


def test_the_data_centre_threshold_is_the_case_the_issue_names():
    """「原则上30个班级规模以下学校不单独建设校级数据中心」 includes a 30-class school."""
    assert any(b.where == "s5.3-1.unless" and b.follows() for b in BOUNDS)


def test_the_validator_holds_the_catalog_to_the_convention():
    assert validate(load_catalog()) == []
    raw = read_yaml(STANDARDS_DIR / "beijing.yaml")
    text = yaml.safe_dump(raw, allow_unicode=True).replace(
        "school.classes > param.data_center_small_school_classes",
        "school.classes >= param.data_center_small_school_classes")
    wrong = Standard.model_validate(yaml.safe_load(text))
    assert [where for where, _ in problems(wrong)] == ["s5.3-1.unless"]


def _no_refs(ns, name):
    raise AssertionError(f"{ns}.{name}")
