"""Which way a parameter tightens is read from the comparisons of the checks that use it."""

import pytest

from campusplan.catalog import expr as ex
from campusplan.catalog import tailoring
from campusplan.catalog.loader import load_catalog

STANDARD = load_catalog().standard


@pytest.mark.parametrize(("key", "tighter"), [
    ("video_retention_days", "higher"),  # minimum: actual >= required
    ("info_points_ordinary_classroom", "higher"),  # each: room.info_points >= param
    ("smart_classrooms_pilot_max", "lower"),  # maximum: actual <= limit (a branch of an if)
    ("teacher_computer_ratio", "lower"),  # ratio: actual >= ceil(per / ratio)
    ("classes_per_recording_room", "lower"),  # minimum of floor(classes / param)
    ("data_center_small_school_classes", "higher"),  # prohibition unless classes > param
    ("student_computer_ratio_primary", "lower"),  # no comparison: the YAML declares it
])
def test_directions_of_the_product_catalog(key, tighter):
    assert tailoring.directions(STANDARD)[key].tighter == tighter


def test_the_product_catalog_declares_nothing_its_checks_contradict():
    assert tailoring.problems(STANDARD) == []


def test_a_parameter_read_both_ways_or_in_applies_is_not_tailorable():
    d = tailoring.directions(STANDARD)["innovation_labs_free_classes"]  # only in `applies`
    assert (d.tighter, d.derived) == (None, "ambiguous")
    assert not d.allows(99, 1) and d.allows(1, 1)


def _walk(text: str) -> dict[str, set[int]]:
    seen: dict[str, set[int]] = {}
    tailoring._walk(ex.parse(text), 1, lambda k, d: seen.setdefault(k, set()).add(d))
    return seen


@pytest.mark.parametrize(("text", "expected"), [
    ("fact.x >= param.a", {"a": {1}}),
    ("param.a >= fact.x", {"a": {-1}}),
    ("not (fact.x >= param.a)", {"a": {-1}}),
    ("fact.x >= param.a - param.b", {"a": {1}, "b": {-1}}),
    ("fact.x <= max(param.a, 2) * 3", {"a": {-1}}),
    ("fact.x >= abs(param.a)", {"a": {0}}),
    ("fact.x == param.a", {"a": {0}}),
    ("(fact.x if school.classes > param.c else 1) >= 2", {"c": {0}}),
])
def test_the_walk(text, expected):
    assert _walk(text) == expected


def test_a_declared_direction_the_checks_contradict_is_a_problem():
    params = [p.model_copy(update={"tighter": "lower"}) if p.key == "video_retention_days"
              else p for p in STANDARD.parameters]
    broken = STANDARD.model_copy(update={"parameters": params})
    assert [w for w, _m in tailoring.problems(broken)] == ["parameters.video_retention_days"]
