"""Projects: made only from a line of the current plan, followed to completion, which writes the
delivered facts (provenance: the project) and re-assesses — the gap closes."""

import pytest
from django.http import Http404

from campusplan.accounts.models import AuditEntry
from campusplan.projects.selectors import money
from campusplan.schools.models import FactValue, School
from campusplan.usecases import projects
from campusplan.usecases.plans import BudgetInvalid, budget_of
from tests import factories
from tests.actors import as_user
from tests.web.world import HAIDIAN, A, C

pytestmark = pytest.mark.django_db


def _status(code: str, req: str) -> str:
    return factories.current_result(code=code, requirement=req).status


def test_completing_a_project_closes_the_gap(world):
    who = as_user(world["haidian"])
    assert _status(A, "10-1") == "gap"
    project = projects.create_project(actor=who, school=A, requirement_id="10-1",
                                      line="teacher_laptop", owner="王老师")
    assert (project.quantity, float(project.planned_cost), project.price_list) == \
        (3.0, 21000.0, "city")
    done = projects.update_project(actor=who, pk=project.pk, values={"status": "approved"})
    assert done.facts == {} and _status(A, "10-1") == "gap"
    done = projects.update_project(actor=who, pk=project.pk, values={
        "status": "completed", "contract_amount": "20,500", "supplier": "示例公司"})
    assert done.facts == {"teacher_computers_total": 18}
    assert _status(A, "10-1") == "met"
    fact = FactValue.objects.get(school__code=A, key="teacher_computers_total",
                                 superseded_at__isnull=True)
    assert fact.source.kind == "project" and fact.source.file_name == f"建设项目 #{project.pk}"
    fields = set(AuditEntry.objects.filter(object_type="project", object_key=str(project.pk))
                 .values_list("field", flat=True))
    assert {"created", "status", "contract_amount", "supplier", "completed_on"} <= fields
    schools = School.objects.filter(district__code=HAIDIAN)
    assert money(schools=schools) == {"planned": 21000.0, "contracted": 20500.0,
                                           "spent": 20500.0, "projects": 1, "completed": 1}
    with pytest.raises(projects.ProjectInvalid):  # completed stays completed
        projects.update_project(actor=who, pk=project.pk, values={"status": "planned"})


def test_a_project_needs_a_line_of_the_plan_and_the_scope(world):
    who = as_user(world["haidian"])
    with pytest.raises(projects.ProjectInvalid):
        projects.create_project(actor=who, school=A, requirement_id="10-1", line="firewall")
    with pytest.raises(Http404):
        projects.create_project(actor=who, school=C, requirement_id="10-1",
                                line="teacher_laptop")
    project = projects.create_project(actor=who, school=A, requirement_id="10-1",
                                      line="teacher_laptop")
    with pytest.raises(Http404):
        projects.project_of(actor=as_user(_other_district_user()), pk=project.pk)
    with pytest.raises(projects.ProjectInvalid):
        projects.update_project(actor=who, pk=project.pk, values={"contract_amount": "-5"})
    with pytest.raises(projects.ProjectInvalid):
        projects.update_project(actor=who, pk=project.pk, values={"status": "done"})


def _other_district_user():
    from tests import factories
    return factories.user(username="xicheng", role="district", district="110102")


@pytest.mark.parametrize(("amount", "years", "basis", "per_year"),
                         [(900_000, 3, "total", 300_000), (500_000, 2, "year", 500_000)])
def test_budget_per_year_or_total(amount, years, basis, per_year):
    assert budget_of(amount=amount, years=years, basis=basis).per_year == per_year


@pytest.mark.parametrize(("amount", "years"), [(-1, 3), (1e13, 3), (100, 0), (100, 21)])
def test_budget_out_of_range(amount, years):
    with pytest.raises(BudgetInvalid):
        budget_of(amount=amount, years=years)
