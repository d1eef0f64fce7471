"""One bilingual vocabulary: every table complete, the standard's own words, one rate formula, and
no status / level / phase / role label written anywhere else in the code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polars as pl
import pytest

import campusplan
from campusplan.catalog import load_catalog
from campusplan.catalog import vocabulary as v
from campusplan.catalog.validate import validate
from campusplan.engine.rollup import completeness, compliance_rate
from tests.spec_text import section

SRC = Path(campusplan.__file__).parent
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("name", sorted(v.TABLES))
def test_every_term_has_chinese_and_english(name):
    for key, term in v.TABLES[name].items():
        assert CJK.search(term.zh), (name, key)
        assert term.en and not CJK.search(term.en), (name, key)


def test_label_picks_the_language_and_shows_unknown_keys_as_they_are():
    assert v.label(v.STATUS, "unknown", "zh-hans") == "未知"
    assert v.label(v.STATUS, "unknown", "en") == "Unknown"
    assert v.label(v.STATUS, "refresh", "en") == "refresh"
    assert v.label(v.STATUS, None, "zh") == "—"


def test_smart_phases_are_the_standards_words():
    """5.11: 分为探索期、试点期和普适应用期 (the Word report said 普及阶段 before)."""
    text = section("5.11")
    for key in ("exploration", "pilot", "general"):
        assert v.SMART_PHASE[key].zh in text, key


def test_status_order_puts_what_is_wrong_first():
    assert set(v.STATUS_ORDER) == set(v.STATUS)
    assert sorted(v.STATUS, key=v.status_rank)[:3] == ["violation", "gap", "unknown"]
    assert v.status_rank("anything else") == len(v.STATUS_ORDER)
    assert {v.tone(v.STATUS, k) for k in v.STATUS} <= {"ok", "warn", "bad", "muted"}


def test_role_label_of_a_read_only_user():
    assert v.role_label("district", True, "zh") == "督导（区级）"
    assert v.role_label("city", False, "en") == "City"
    assert v.role_label("school", True, "en") == "Auditor (School)"


@pytest.mark.parametrize(("met", "judged", "rate"), [(3, 4, 0.75), (0, 5, 0.0), (0, 0, None)])
def test_one_compliance_rate_for_numbers_and_columns(met, judged, rate):
    assert compliance_rate(met, judged) == rate
    df = pl.DataFrame({"met": [met], "judged": [judged]})
    assert df.select(compliance_rate(pl.col("met"), pl.col("judged")))[0, 0] == rate


@pytest.mark.parametrize(("unknown", "applicable", "share"), [(1, 4, 0.75), (0, 0, None)])
def test_one_completeness_for_numbers_and_columns(unknown, applicable, share):
    assert completeness(unknown, applicable) == share
    df = pl.DataFrame({"u": [unknown], "a": [applicable]})
    assert df.select(completeness(pl.col("u"), pl.col("a")))[0, 0] == share


# Labels the vocabulary owns. A string literal equal to one of them elsewhere in src is a second
# copy that will drift (compound phrases such as 必配达标率 are not labels and are allowed).
OWNED = ("status", "level", "smart_phase", "role", "stage", "funding", "provider")
# engine/explain.py's explanation templates move into the check-kind registry (issue 10 item 3);
# its 不适用 sentence is an explanation, rendered with the others there.
ALLOWED = {("engine/explain.py", "不适用")}


def _literals(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_no_label_of_the_vocabulary_is_written_outside_it():
    words = {t.zh for name in OWNED for t in v.TABLES[name].values()} | {
        v.READ_ONLY_ROLE.zh.split("（")[0]}
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if "migrations" in path.parts or rel == "catalog/vocabulary.py":
            continue
        found += [f"{rel}:{line} {text!r}" for line, text in _literals(path)
                  if text in words and (rel, text) not in ALLOWED]
    assert not found, "take these labels from catalog/vocabulary.py:\n" + "\n".join(found)


def test_templates_take_vocabulary_words_through_the_term_tag():
    pattern = re.compile(r"\{% (?:trans|translate) ['\"]([^'\"]+)['\"]")
    words = {t.zh for name in OWNED for t in v.TABLES[name].values()}
    found = [f"{p.name}: {w}" for p in sorted(SRC.rglob("templates/**/*.html"))
             for w in pattern.findall(p.read_text(encoding="utf-8")) if w in words]
    assert not found, found


# --- the standard's choices declared in the YAML ---------------------------------------------

STD = load_catalog().standard


def _old_tier(level: str, item: int | None) -> int:
    """The priority bands that planning/plan.py hard-coded before they moved into beijing.yaml."""
    band = 1 if item in {22, 44} else 2 if item in {5, 6, 7, 8, 9, 12, 16, 18, 19, 20} else 3
    return band if level == "required" else band + 4


def test_planning_tiers_from_the_yaml_keep_the_old_order():
    numbers = [it.number for it in STD.items()] + [None]
    for level in ("required", "optional"):
        for n in numbers:
            assert STD.planning.tier_of(level, n) == _old_tier(level, n), (level, n)
    assert STD.planning.refresh_tier() == 4
    assert STD.planning.names()[1].zh == "必配·安全"


def test_planning_sources_are_quoted_from_the_spec():
    assert STD.planning.sources
    for ref in STD.planning.sources:
        assert ref.quote in section(ref.section)


def test_purchase_units_are_declared_next_to_the_fact():
    facts = load_catalog().facts.facts
    billed = [f for f in facts if f.billed_per]
    assert len(billed) == 1
    assert billed[0].billed_per == {"学校.年度": "school", "班级.年度": "class"}


def test_every_item_has_an_english_title_and_every_unit_both_languages():
    for it in STD.items():
        assert it.title_en and not CJK.search(it.title_en), it.number
        assert it.title_in("en") == it.title_en and it.title_in("zh-hans") == it.title
    for f in load_catalog().facts.facts:
        if f.unit is not None:
            assert not CJK.search(f.unit.en), f.key
            assert str(f.unit) == f.unit.zh == f.unit_in("zh")


def test_indicators_and_tiers_are_validated():
    cat = load_catalog()
    assert not [p for p in validate(cat) if p.where.startswith(("planning", "indicators"))]
    broken = cat.standard.model_copy(update={"indicators": cat.standard.indicators.model_copy(
        update={"ratios": [cat.standard.indicators.ratios[0].model_copy(
            update={"value": "fact.no_such_fact / school.students"})]})})
    problems = validate(type(cat)(standard=broken, facts=cat.facts, checksum=cat.checksum))
    assert any("fact.no_such_fact" in p.message for p in problems)
