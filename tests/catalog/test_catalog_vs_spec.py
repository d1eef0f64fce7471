"""The catalog against the spec text: items, markers, verbatim texts, levels, numbers."""

from __future__ import annotations

import pytest

from campusplan.catalog import load_catalog
from campusplan.catalog.validate import validate
from tests.spec_text import MARKERS, marker_count, numbers_in, rows, section, section_title

CAT = load_catalog()
STD = CAT.standard
ITEMS = {it.number: it for it in STD.items()}


def test_item_numbers_match_the_spec_tables():
    assert sorted(ITEMS) == sorted(rows()) == list(range(1, 47))


def test_table_requirements_total_192():
    assert sum(len(it.requirements) for it in STD.items()) == 192


@pytest.mark.parametrize("number", range(1, 47))
def test_item_matches_its_row(number):
    item, row = ITEMS[number], rows()[number]
    assert item.title == row["title"]
    assert item.audience == row["audience"]
    assert len(item.requirements) == max(1, marker_count(row["req"]))
    markers = [r.marker for r in item.requirements]
    expected = [m for m in row["req"] if m in MARKERS] or [None]
    assert markers == expected
    for req in item.requirements:
        assert req.text in row["req"], f"{req.id} text is not verbatim in row {number}"
        assert req.id.startswith(f"{number}-")
    for remark in item.remarks:
        assert remark in row["remark"]


STAGES = {"中小学": {"primary", "junior", "senior"}, "中学": {"junior", "senior"},
          "小学": {"primary"}, "初中": {"junior"}, "高中": {"senior"}}


@pytest.mark.parametrize("number", range(1, 47))
def test_item_stages_follow_audience(number):
    item = ITEMS[number]
    assert {s.value for s in item.stages} == STAGES[item.audience]


def _literally_optional(item, text) -> bool:
    return "选配" in text or "选配" in item.title or "选配" in section_title(item.section)


@pytest.mark.parametrize("number", range(1, 47))
def test_levels_follow_the_text_or_explain_why(number):
    """选配 in the requirement, item title or section heading means optional; any other reading
    must be explained in the requirement's note."""
    item = ITEMS[number]
    for req in item.requirements:
        literal = "optional" if _literally_optional(item, req.text) else "required"
        if req.level.value != literal:
            assert req.note and "选配" in req.note, f"{req.id}: level differs without a note"


def _location_text(ref) -> str:
    return rows()[ref.item]["line"] if ref.item is not None else section(ref.section)


@pytest.mark.parametrize("param", STD.parameters, ids=lambda p: p.key)
def test_parameter_number_is_quoted_from_its_location(param):
    assert param.source.quote in _location_text(param.source)
    if isinstance(param.value, int | float) and not isinstance(param.value, bool):
        assert float(param.value) in numbers_in(param.source.quote), param.key
    elif isinstance(param.value, str):
        assert param.value in param.source.quote


RULES = [(item, r) for _a, item, r in STD.requirements() if r.marker is None and r.source]


@pytest.mark.parametrize("item_rule", RULES, ids=lambda ir: ir[1].id)
def test_rules_quote_their_source(item_rule):
    _item, rule = item_rule
    where = _location_text(rule.source)
    assert rule.source.quote in where
    assert rule.text in where, f"{rule.id}: rule text is not verbatim at {rule.source.where()}"


def test_table_requirements_have_no_source_and_rules_have_one():
    for item in STD.items():
        assert all(r.source is None for r in item.requirements)
        assert all(r.source is not None for r in item.rules)
    assert all(r.source is not None for a in STD.areas for r in a.rules)


def test_catalog_is_sound():
    """Every check compiles; every fact, parameter and profile value it reads exists."""
    assert [str(p) for p in validate(CAT)] == []


def test_every_fact_is_read_by_some_requirement():
    from campusplan.catalog import expr

    read: set[tuple[str, str]] = set()
    for _a, _i, req in STD.requirements():
        texts = list(req.check.reads().values()) + ([req.applies] if req.applies else [])
        for text in texts:
            read |= expr.refs(expr.parse(text))
    names = {name for ns, name in read if ns in ("fact", "room", "service")}
    unused = [f.key for f in CAT.facts.facts if f.key not in names]
    # facts the engine itself reads (purchase unit and price for yearly cost, provider)
    assert set(unused) <= {"unit_price", "provided_by"}, unused


def test_body_text_rules_named_by_the_issue_are_present():
    quotes = {r.source.quote for _a, _i, r in STD.requirements() if r.source}
    for needle in ["无线校园网络覆盖教育教学、办公和活动等主要场所",
                   "原则上30个班级规模以下学校不单独建设校级数据中心",
                   "普通教室建设要100%覆盖", "所有会场设备安装一键启动功能（时序电源）",
                   "不支持学校单独开发、部署校园网站类信息发布系统",
                   "不重复采购区级购买的互联网服务资源", "与北京市校园安全防控平台对接"]:
        assert any(needle in q or q in needle for q in quotes), needle


def test_identity_and_version():
    assert STD.identity.issuer == "北京市教育委员会"
    assert CAT.version.startswith("beijing@2021.1+")
