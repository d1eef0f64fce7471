"""The 优质均衡 catalog against shared/spec/youzhi-junheng.md: every number is the spec's."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from campusplan.catalog.validate import validate
from campusplan.cli import app
from tests.youzhi.helpers import CATALOG, SPEC_TEXT, floors, table

STD = CATALOG.standard
PARAMS = {p.key: p for p in STD.parameters}
KEYS = {1: "teachers_above_degree", 2: "backbone_teachers", 3: "pe_art_teachers",
        4: "teaching_space", 5: "sports_venue", 6: "equipment_value", 7: "multimedia_classrooms"}


def section(number: str) -> str:
    """The text of one `### <number>` section of the spec."""
    m = re.search(rf"^### {re.escape(number)} .*?(?=^### |^## |\Z)", SPEC_TEXT, re.M | re.S)
    return m.group(0)


def test_the_catalog_is_sound():
    assert validate(CATALOG) == []


def test_identity_is_the_2017_measures():
    assert STD.identity.number == "教督〔2017〕6号"
    assert STD.identity.issuer == "教育部"
    assert f"《{STD.identity.title}》（教育部 {STD.identity.number}）" in SPEC_TEXT


@pytest.mark.parametrize("n", range(1, 8))
@pytest.mark.parametrize("stage", ["primary", "junior"])
def test_each_threshold_is_the_spec_tables(n, stage):
    assert PARAMS[f"{KEYS[n]}_{stage}"].value == table()[n][stage]


def test_seven_indicators_per_stage_each_with_its_county_rule():
    for base, stage in ((100, "primary"), (200, "junior")):
        for n in range(1, 8):
            item = STD.item(base + n)
            assert [s.value for s in item.stages] == [stage]
            assert [r.check.kind for r in item.requirements] == ["minimum"]
            assert [r.check.kind for r in item.rules] == ["group_spread"]
            assert item.requirements[0].check.required == f"param.{KEYS[n]}_{stage}"


@pytest.mark.parametrize("stage", ["primary", "junior"])
def test_the_85_percent_floor_gives_the_spec_floor_values(stage):
    floor = PARAMS["remaining_floor"].value
    assert floor == 0.85 and "85%" in PARAMS["remaining_floor"].source.quote
    got = [round(floor * table()[n][stage], 4) for n in range(1, 8)]
    assert got == floors()[stage]


def test_the_cv_limits_and_the_six_of_seven():
    assert PARAMS["cv_max_primary"].value == 0.50
    assert PARAMS["cv_max_junior"].value == 0.45
    assert PARAMS["indicators_to_meet"].value == 6
    rules = [r for a in STD.areas for r in a.rules]
    assert [r.check.kind for r in rules] == ["at_least", "at_least"]
    assert [r.check.of for r in rules] == [[f"{b + n}-1" for n in range(1, 8)] for b in (100, 200)]


def test_every_quote_is_in_the_section_it_cites_and_holds_its_number():
    for p in STD.parameters:
        text = section(p.source.section)
        assert p.source.quote in text, p.key
        number = f"{p.value * 100:g}%" if p.key == "remaining_floor" else None
        digits = number or (f"{p.value:.2f}" if p.key.startswith("cv_max") else f"{p.value:g}")
        assert digits in p.source.quote, (p.key, digits)
    for _a, _i, r in STD.requirements():
        assert r.source.quote in section(r.source.section), r.id


def test_what_is_rebuilt_is_marked_rebuilt():
    """§1.1 is the Hebei text quoted word for word; everything from §1.2 is rebuilt."""
    for p in STD.parameters:
        assert p.source.standing == ("verbatim" if p.source.section == "1.1" else "rebuilt"), p.key
    for _a, _i, r in STD.requirements():
        assert r.source.standing == ("verbatim" if r.source.section == "1.1" else "rebuilt"), r.id
        if r.source.standing == "rebuilt":
            assert r.note, r.id


def test_informational_items_are_the_spec_lists_and_are_not_judged():
    by = {}
    for info in STD.informational:
        by.setdefault(info.area.zh, []).append(info)
        assert info.text in SPEC_TEXT, info.text
    assert [len(by[k]) for k in ("政府保障程度", "教育质量", "社会认可度")] == [15, 9, 1]
    judged = {r.text for _a, _i, r in STD.requirements()}
    assert not judged & {i.text for i in STD.informational}
    special = next(i for i in by["政府保障程度"] if i.number == 7)
    assert "6000" in special.threshold  # the national figure, not 沈阳's 8000


def test_catalog_stats_for_the_second_standard():
    out = CliRunner().invoke(app, ["catalog", "stats", "--standard", "youzhi"])
    assert out.exit_code == 0, out.output
    assert "县域义务教育优质均衡发展督导评估办法" in out.output
    assert "youzhi@2017.1" in out.output
    assert "配置项 14 项" in out.output
    default = CliRunner().invoke(app, ["catalog", "stats"])
    assert "北京市中小学校信息化建设规范" in default.output


def test_an_unknown_standard_is_a_clear_error():
    out = CliRunner().invoke(app, ["catalog", "stats", "--standard", "nosuch"])
    assert out.exit_code != 0
    assert "nosuch" in out.output
    assert "Traceback" not in out.output


def test_the_new_facts_join_the_survey_workbook_with_their_area_name():
    from campusplan.catalog.loader import load_catalog
    from campusplan.exchange.layout import build_layout

    own = {f.key for f in CATALOG.facts.facts if f.area == "youzhi_resources"}
    assert len(own) == 10
    for f in (f for f in CATALOG.facts.facts if f.key in own):
        assert f.unit is not None and f.min == 0 and f.max is not None
        assert f.label.zh and f.label.en
    sheet = next(s for s in build_layout(load_catalog(), {}).sheets
                 if s.key == "area:youzhi_resources")
    assert sheet.title.zh == "优质均衡资源配置"
    assert own <= {c.key.removeprefix("fact.") for c in sheet.columns}
