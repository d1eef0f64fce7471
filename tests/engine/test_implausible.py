"""Implausible input is refused with a located error (zh/en) before anything is judged: the CLI
door (exit 2, every problem with its JSON path, no traceback) and each check at its boundary."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from campusplan.cli import app
from campusplan.engine.document import PROFILE_MAX
from campusplan.engine.inputs import InputInvalid, validate_inputs
from tests.engine.helpers import CATALOG
from tests.implausible import EXPECTED, FILE

runner = CliRunner(env={"COLUMNS": "300"})
AS_OF = dt.date(2026, 11, 1)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_assess_lists_every_problem_with_its_path_and_exits_2(lang):
    res = runner.invoke(app, ["assess", str(FILE), "--lang", lang, "--as-of", "2026-11-01"])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and isinstance(res.exception, SystemExit)
    lines = [line.strip() for line in res.output.splitlines()]
    for path, zh, en in EXPECTED:
        reason = zh if lang == "zh" else en
        assert any(f"{path}: {reason}" in line for line in lines), (path, res.output)
    head = f"输入有误（{len(EXPECTED)} 处）" if lang == "zh" else f"({len(EXPECTED)} problems)"
    assert head in res.output


def school(**stage) -> dict:
    return {"code": "P1", "district": "110108", "type": "211", "teachers": 10,
            "stages": {"primary": {"classes": 6, "students": 200, "max_class_size": 40} | stage}}


def problems(doc: dict, as_of: dt.date = AS_OF) -> list[tuple[str, str]]:
    try:
        validate_inputs(doc, CATALOG, as_of)
    except InputInvalid as exc:
        return [(e.path, e.en) for e in exc.errors]
    return []


@pytest.mark.parametrize(("largest", "ok"), [(33, False), (34, True), (35, True)])
def test_the_largest_class_is_at_least_the_average_rounded_up(largest, ok):
    """200 students in 6 classes: an average class of 33.3, so some class has 34 or more."""
    assert (problems(school(max_class_size=largest)) == []) is ok


@pytest.mark.parametrize(("largest", "ok"), [(29, True), (30, True), (31, False)])
def test_the_largest_class_is_at_most_the_stage(largest, ok):
    doc = school(classes=2, students=30, max_class_size=largest)
    expected = [] if ok else [("$.stages.primary.max_class_size",
                               "largest class 31 exceeds the stage's 30 students")]
    assert problems(doc) == expected


@pytest.mark.parametrize(("classes", "students", "path"), [
    (0, 1, "$.stages.primary.classes"), (1, 0, "$.stages.primary.students")])
def test_classes_and_students_are_both_zero_or_both_not(classes, students, path):
    doc = school(classes=classes, students=students, max_class_size=None)
    assert [p for p, _ in problems(doc)] == [path]
    assert problems(school(classes=0, students=0, max_class_size=None)) == []


# at the ceilings (PROFILE_MAX): 500 classes, 50,000 students, a largest class of 200
AT_MAX = {"classes": {"classes": 500, "students": 50000, "max_class_size": 100},
          "students": {"classes": 500, "students": 50000, "max_class_size": 100},
          "max_class_size": {"classes": 1, "students": 200, "max_class_size": 200}}


@pytest.mark.parametrize("key", list(AT_MAX))
def test_profile_counts_have_a_plausible_ceiling(key):
    hi = PROFILE_MAX[key]
    doc = school(**AT_MAX[key])
    assert doc["stages"]["primary"][key] == hi and problems(doc) == []
    doc["stages"]["primary"][key] = hi + 1
    assert (f"$.stages.primary.{key}", f"out of range 0–{hi}: {hi + 1}") in problems(doc)


def test_teachers_zero_only_without_students():
    assert problems(school() | {"teachers": 0}) == [("$.teachers", "0 teachers for 200 students")]
    assert problems(school(classes=0, students=0, max_class_size=None) | {"teachers": 0}) == []
    assert problems(school() | {"teachers": PROFILE_MAX["teachers"] + 1})[0][0] == "$.teachers"


@pytest.mark.parametrize(("days", "ok"), [(-1, True), (0, True), (1, False)])
def test_a_phase_cannot_start_after_the_as_of_date(days, ok):
    since = AS_OF + dt.timedelta(days=days)
    doc = school() | {"smart_phase": {"phase": "pilot", "since": since.isoformat()}}
    assert (problems(doc) == []) is ok


def test_a_type_s_stages_and_no_others():
    """211 小学 has only the primary stage; 312 九年一贯制 has primary and junior."""
    senior = {"classes": 3, "students": 90, "max_class_size": 30}
    assert problems(school() | {"stages": {"primary": school()["stages"]["primary"],
                                           "senior": senior}})[0][0] == "$.stages.senior"
    nine = school() | {"type": "312"}
    assert problems(nine) == [("$.stages.junior", "school type 312 (Nine-year school) has a "
                                                  "junior stage, but it is not given")]
    nine["stages"]["junior"] = {}  # present, counts unknown: accepted
    assert problems(nine) == []
    bare = {"code": "P2", "district": "110108", "type": "312"}  # no profile at all: unknown
    assert problems(bare) == []


@pytest.mark.parametrize(("n", "ok"), [(199, True), (200, True), (201, False)])
def test_text_is_bounded_by_its_column(n, ok):
    assert (problems(school() | {"name": "校" * n}) == []) is ok


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 10 ** 399, -(10 ** 399)])
def test_non_finite_and_huge_numbers_are_located_errors(value):
    doc = school() | {"facts": {"student_computers_total": value}}
    [(path, reason)] = problems(doc)
    assert path == "$.facts.student_computers_total"
    assert reason.startswith(("must be a number", "out of range"))
