"""The catalog against the spec text: items, markers, verbatim texts, levels, numbers."""

from __future__ import annotations

import re

import pytest

from campusplan.catalog import load_catalog
from campusplan.catalog.validate import validate
from tests.spec_text import (
    MARKERS,
    heading_says_optional,
    item_heading,
    marker_count,
    numbers_in,
    rows,
    section,
)

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


@pytest.mark.parametrize("number", range(1, 47))
def test_item_section_and_heading_are_read_from_the_spec(number):
    """A chapter's table gathers the rows of all its subsections (items 35–43 stand in one table
    after 8.7); each item stores the subsection its title names, with that heading verbatim."""
    item, found = ITEMS[number], item_heading(number)
    assert (item.section, item.heading) == (found.number, found.text)


# 选配 marks a requirement optional where its own text, its item's title, or the heading of its
# section (or of a section containing it: 5.12.1 under 5.12 …（选配）) carries it.
MODAL_KE = re.compile(r"可(?!进行|实现|穿戴)")  # 可 as "may"; not 可进行/可实现 (can do), 可穿戴


def _all_requirements():
    return [(item, r) for _a, item, r in STD.requirements()]


def _governing_section(item, req) -> str:
    """Body-text rules follow the heading of the section they quote; table requirements and
    remark rules follow their item's section."""
    return req.source.section if req.source and req.source.section else item.section


def _literal_level(item, req) -> str:
    texts = [req.text] + ([req.source.quote] if req.source else [])
    if item is not None and not (req.source and req.source.section):
        texts.append(item.title)
    optional = any("选配" in t for t in texts) or heading_says_optional(
        _governing_section(item, req))
    return "optional" if optional else "required"


REQS = _all_requirements()


@pytest.mark.parametrize("item_req", REQS, ids=lambda ir: ir[1].id)
def test_level_follows_its_heading_or_the_note_says_why(item_req):
    """Table requirements, remark rules and body-text rules alike: a level other than the one
    the text and the headings mark needs a note giving the reading (and naming 选配)."""
    item, req = item_req
    if req.level.value != _literal_level(item, req):
        assert req.note and "选配" in req.note, f"{req.id}: level differs without a note"


@pytest.mark.parametrize("item_req", [ir for ir in REQS if MODAL_KE.search(ir[1].text)
                                      and "选配" not in ir[1].text], ids=lambda ir: ir[1].id)
def test_level_resting_on_ke_says_its_reading(item_req):
    """「可」 (may) without 「选配」 decides nothing by itself — 每所学校至少可配置1间直录播教室 — so
    the note states how the level was read."""
    _item, req = item_req
    assert req.note and "可" in req.note, f"{req.id}: 可 without a stated reading"


DEPARTING = sorted({item.number for item, r in REQS if item is not None and r.marker is None
                    and r.level.value != _literal_level(item, r)})


@pytest.mark.parametrize("number", DEPARTING)
def test_table_levels_explained_where_a_rule_of_the_item_departs(number):
    """Where a remark or body rule of an item is judged otherwise than its heading (item 19:
    每所学校需配置1间创新实验室 under 5.12 …（选配）), each table requirement of the item says which
    reading it follows."""
    for req in ITEMS[number].requirements:
        assert req.note and "选配" in req.note, f"{req.id}: no note beside a departing rule"


def test_departing_items_are_the_ones_the_spec_text_makes():
    """15 备注 所有视频应满足高清标准要求 and 16 (5.11 原则上不能超过3间) are firm under 选配 headings;
    19 备注 每所学校需配置1间创新实验室 is 需 under 5.12（选配）; 9 备注 每所学校至少可配置1间直录播教室
    is 可 under 5.6."""
    assert DEPARTING == [9, 15, 16, 19]


@pytest.mark.parametrize("number,level", [(42, "optional"), (43, "optional"), (41, "required")])
def test_internet_service_levels_follow_8_6_and_8_7(number, level):
    """「8.6 互联网教育教学平台服务（选配）」「8.7 互联网存储及计算服务（选配）」; 8.5 has no marker."""
    assert {r.level.value for r in ITEMS[number].requirements} == {level}


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
    """The dictionary is shared by every shipped standard (beijing, youzhi): each fact is read
    by a requirement of one of them."""
    from campusplan.catalog import expr
    from campusplan.catalog.loader import load_catalog, standard_keys

    read: set[tuple[str, str]] = set()
    reqs = [r for key in standard_keys() for r in load_catalog(key).standard.requirements()]
    for _a, _i, req in reqs:
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


# Issue 11, point 7: each body-text sentence below is a rule, at the level its wording gives.
BODY_RULES_POINT_7 = [
    ("5.8", "大中型会场舞台左右两侧及中间位置预留各种接口箱，包括VGA、HDMI、卡农口、6.5mm口等", "required"),
    ("5.3", "数据中心应配有专业的管理人员进行管理、维护", "required"),
    ("5.3", "并配套完善的管理制度", "required"),
    ("5.3", "教室前后左右可留信息口给机动需求，至少1个(选配)", "optional"),
    ("5.14", "安防监控中心应位于学校办公区中心位置", "required"),
    ("5.14", "专业人员值守要和消防监控和安保值守相结合", "required"),
    ("5.14", "要与市、区校园安全防控平台进行对接", "required"),
    ("9", "建立网络安全责任制度", "required"),
    ("9", "建设网络安全监测预警平台", "required"),
    ("9", "配置防火墙、防病毒、网络入侵保护、流量管理、上网行为管理、统一管控等功能网络安全设备", "required"),
    ("5.2", "网络安全设备配置到位，实现防火墙、上网行为管理等功能", "required"),
    ("5.12", "在学校具有配套师资条件或同步配置师资许可的情况下，可申请建设技术赋能新型专业教室", "required"),
    ("5.12", "特色多元且在24个班级规模及以上的学校，可按需配置创新实验室", "optional"),
    ("5.11", "最终达到1:1配比", "optional"),
    ("10.1", "开展信息技术与课程整合的学校运维服务需包括学习终端管理、设备维护、程序灌装与更新等", "required"),
    ("6.1", "在与区级现有基础性资源确认不重复的前提下", "required"),
]


@pytest.mark.parametrize("where,quote,level", BODY_RULES_POINT_7, ids=lambda v: str(v)[:12])
def test_body_text_rules_of_issue_11_are_encoded(where, quote, level):
    assert quote in section(where)
    found = [r for _a, _i, r in STD.requirements()
             if r.source and r.source.section == where and quote in r.source.quote + r.text]
    assert found, f"no rule quotes {quote!r} at §{where}"
    assert {r.level.value for r in found} == {level}


def test_rule_counts():
    """18 remark rules (the 备注 column) and 37 body-text rules: 20 before issue 11, and 17 added
    for its point 7 (5-r3, 17-r2, 22-r3…r5, 45-r1, s5.2-1, s5.3-2/3, s5.8-2, s5.12-1, s6.1-1,
    s9-2…s9-6)."""
    rules = [r for _a, _i, r in STD.requirements() if r.source is not None]
    assert sum(r.source.item is not None for r in rules) == 18
    assert sum(r.source.section is not None for r in rules) == 37
