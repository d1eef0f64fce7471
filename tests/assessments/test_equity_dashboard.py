"""The dashboards' 差异系数, recomputed here from the stored facts by the method of
youzhi-junheng.md §3 — written out again in this file, not taken from engine/equity.py.

§3.1: "P_i = 在校生数 of unit i, P = Σ P_i (all 小学 units, or all 初中 units) … X_i = x_i / P_i …
X̄ = Σ x_i / P (county aggregate ratio = student-weighted mean of X_i) … S = sqrt( Σ_i (P_i / P) ·
(X_i − X̄)² ) … CV = S / X̄".
§3.2: "Each 一贯制 school counts as one 小学 unit (its 小学部) plus one 初中 unit (its 初中部); a
完全中学 counts only its 初中部." and "小学部 weight = A/(A+1.1B); 初中部 = 1.1B/(A+1.1B); 完中初中部 =
B/(B+1.2C)".
§1.2: "所有指标校际差异系数，小学均小于或等于0.50，初中均小于或等于0.45" — each indicator on its own
("Reading of “均”: each of the 7 indicators' CV must meet the threshold separately").
"""

from __future__ import annotations

import math

import pytest

from campusplan.assessments.dashboards import city_overview, district_overview
from campusplan.assessments.models import EquityUnit
from campusplan.assessments.selectors import is_current
from campusplan.schools.models import FactValue, School
from campusplan.usecases.facts import set_fact
from tests import factories
from tests.actors import operator
from tests.spec_text import spec_file

pytestmark = pytest.mark.django_db
DISTRICT = "110115"
# (example, code, student computers, teacher computers): four schools of one district with
# different resources, so the CVs are neither 0 nor all on one side of the thresholds
SCHOOLS = [("small-primary.json", "1101150001", 20, 15),
           ("violations.json", "1101150002", 140, 40),
           ("nine-year-school.json", "1101150003", 60, 96),
           ("complete-secondary.json", "1101150004", 230, 140)]
# "小学 : 初中 = 1 : 1.1 (九年一贯); 初中 : 高中 = 1 : 1.2 (完全中学); 小 : 初 : 高 = 1 : 1.1 : 1.32"
WEIGHT = {"primary": 1.0, "junior": 1.1, "senior": 1.32}
LIMIT = {"primary": 0.50, "junior": 0.45}


@pytest.fixture
def world(tmp_path):
    docs = []
    for example, code, computers, teacher_computers in SCHOOLS:
        doc = factories.school_doc(example=example, code=code, name=f"均衡{code[-1]}",
                                   district=DISTRICT)
        doc["facts"] = doc["facts"] | {"student_computers_total": computers,
                                       "teacher_computers_total": teacher_computers}
        docs.append(doc)
    factories.stored(paths=[factories.write_file(path=tmp_path / "d.json", schools=docs)])
    return {"district": factories.user(username="dx", role="district", district=DISTRICT),
            "city": factories.user(username="cx", role="city")}


def _fact(school: School, key: str) -> float | None:
    v = FactValue.objects.filter(school=school, room=None, service=None, key=key,
                                 superseded_at=None).first()
    return None if v is None else v.num


def _rooms_with_display(school: School) -> int:
    """网络多媒体教室 as campusplan counts them: rooms with an interactive display."""
    return FactValue.objects.filter(room__school=school, key="display_inch", num__gt=0,
                                    superseded_at=None).values("room").distinct().count()


def _units(measure: str) -> dict[str, list[tuple[float, float]]]:
    """(x_i, P_i) per 学段 for every school of the district, from what is stored."""
    out: dict[str, list] = {"primary": [], "junior": []}
    for s in School.objects.filter(district__code=DISTRICT):
        students = {st: getattr(s, f"{st}_students") for st in WEIGHT
                    if getattr(s, f"{st}_students") is not None}
        amount = {"students_per_computer": _fact(s, "student_computers_total"),
                  "teacher_computers_per_teacher": _fact(s, "teacher_computers_total"),
                  "multimedia_rooms_per_100": _rooms_with_display(s)}[measure]
        denominator = sum(WEIGHT[st] * p for st, p in students.items())
        for st in out:
            if st not in students:
                continue
            share = WEIGHT[st] * students[st] / denominator
            base = s.teachers * share if measure == "teacher_computers_per_teacher" \
                else students[st]
            out[st].append((amount * share, base))
    return out


def _cv(pairs: list[tuple[float, float]]) -> float:
    p = sum(b for _x, b in pairs)
    mean = sum(x for x, _b in pairs) / p
    return math.sqrt(sum(b / p * (x / b - mean) ** 2 for x, b in pairs)) / mean


MEASURES = ("students_per_computer", "teacher_computers_per_teacher", "multimedia_rooms_per_100")


@pytest.mark.parametrize("measure", MEASURES)
def test_each_indicator_s_cv_per_stage_is_the_official_one(world, measure):
    rows = district_overview(user=world["district"], code=DISTRICT)["equity"]
    expected = _units(measure)
    assert [r["stage"] for r in rows] == ["primary", "junior"]
    for r in rows:
        pairs = expected[r["stage"]]
        cell = r["cells"][measure]
        assert cell["n"] == len(pairs)
        assert cell["cv"] == pytest.approx(_cv(pairs), rel=1e-9)
        assert cell["threshold"] == LIMIT[r["stage"]]
        assert cell["ok"] is (_cv(pairs) <= LIMIT[r["stage"]])


def test_the_units_follow_the_stage_rules(world):
    """2 小学 + the 九年一贯制's 小学部 = 3 小学 units; its 初中部 + the 完全中学's 初中部 = 2 初中
    units (the 完全中学's 高中部 is no unit, but takes its 1.32 share of the computers)."""
    expected = _units("students_per_computer")
    assert (len(expected["primary"]), len(expected["junior"])) == (3, 2)
    units = EquityUnit.objects.filter(is_current(), measure="students_per_computer")
    assert units.filter(stage="primary").count() == 3 and units.filter(stage="junior").count() == 2
    cs = units.get(school__code="1101150004")
    assert cs.stage == "junior" and cs.amount == pytest.approx(230 * 480 / (480 + 1.2 * 810))


def test_the_district_figure_is_the_county_ratio(world):
    """X̄ = Σ x_i / P: shown as 生机比 (students per computer) P / Σx, and rooms per 100."""
    row = next(r for r in district_overview(user=world["district"], code=DISTRICT)["equity"]
               if r["stage"] == "primary")
    pairs = _units("students_per_computer")["primary"]
    assert row["cells"]["students_per_computer"]["value"] == pytest.approx(
        sum(b for _x, b in pairs) / sum(x for x, _b in pairs))
    rooms = _units("multimedia_rooms_per_100")["primary"]
    assert row["cells"]["multimedia_rooms_per_100"]["value"] == pytest.approx(
        100 * sum(x for x, _b in rooms) / sum(b for _x, b in rooms))
    # "每百名学生拥有网络多媒体教室数：小学、初中分别达到2.3间以上、2.4间以上"
    assert "小学、初中分别达到2.3间以上、2.4间以上" in spec_file("youzhi-junheng.md").read_text(
        encoding="utf-8")
    assert row["cells"]["multimedia_rooms_per_100"]["standard"] == 2.3


def test_the_stored_units_follow_the_current_run(world):
    """A changed fact re-assesses the school: the CV is taken on the new units, from storage."""
    school = School.objects.get(code="1101150002")
    set_fact(actor=operator(), school=school, key="student_computers_total", value=70)
    assert EquityUnit.objects.filter(is_current()).filter(school=school, measure="students_per_computer").get().amount == 70
    row = next(r for r in city_overview(user=world["city"])["equity"]
               if r["code"] == DISTRICT and r["stage"] == "primary")
    assert row["cells"]["students_per_computer"]["cv"] == pytest.approx(
        _cv(_units("students_per_computer")["primary"]), rel=1e-9)


def test_the_dashboard_shows_the_verdicts_and_the_method(world, client):
    factories.login(client, user=world["district"])
    html = client.get(f"/district/{DISTRICT}/").content.decode()
    rows = district_overview(user=world["district"], code=DISTRICT)["equity"]
    verdicts = [c["ok"] for r in rows for c in r["cells"].values()]
    table = html[html.index('class="catalog-table equity-table"'):]
    table = table[:table.index("</table>")]
    # the primary 生机比 of these four schools is spread wider than 0.50, the rest is within
    assert verdicts.count(False) == 1 and verdicts.count(True) == 5
    assert table.count('class="badge status-met">达标<') == 5
    assert table.count('class="badge status-gap">未达标<') == 1
    assert "以学生数加权" in html and "小学 ≤ 0.5" in html and "初中 ≤ 0.45" in html
