"""Reads: a district's price list over the city's catalog, the price book of a plan, the
projects in a scope and their money."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from campusplan.assessments.selectors import current_matrix
from campusplan.planning.prices import PriceBook, PriceCatalog, PriceChange, overlay
from campusplan.projects.choices import ProjectStatus
from campusplan.projects.models import DistrictPrice, Project
from campusplan.schools.models import FactValue


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def price_changes(*, district_id: int) -> list[PriceChange]:
    return [PriceChange(key=p.key, unit_price=_float(p.unit_price),
                        unit={"zh": p.unit_zh, "en": p.unit_en or p.unit_zh} if p.unit_zh
                        else None,
                        service_life_years=p.service_life_years, source=p.source,
                        priced_on=p.priced_on.isoformat() if p.priced_on else "")
            for p in DistrictPrice.objects.filter(district_id=district_id)]


def price_stamp(*, district_ids) -> str:
    """Changes whenever a price of these districts changes (a key for cached plan lines)."""
    agg = DistrictPrice.objects.filter(district_id__in=list(district_ids)).aggregate(
        n=Count("id"), at=Max("updated_at"))
    return f"{agg['n']}:{agg['at'].isoformat() if agg['at'] else ''}"


def district_catalog(*, district, default: PriceCatalog) -> PriceCatalog:
    """The district's list: the city's default with the district's own lines over it."""
    changes = price_changes(district_id=district.pk)
    if not changes:
        return default
    return overlay(default, changes, f"{default.version}+{district.code}")


def price_book(*, districts, default: PriceCatalog) -> PriceBook:
    """Each district's list, for the districts that keep one."""
    with_prices = set(DistrictPrice.objects.filter(district__in=list(districts))
                      .values_list("district_id", flat=True))
    return PriceBook(default, {d.code: district_catalog(district=d, default=default)
                               for d in districts if d.pk in with_prices})


def priced_dates(*, district_id: int) -> dict[str, str]:
    return {p.key: p.priced_on.isoformat() for p in DistrictPrice.objects.filter(
        district_id=district_id, priced_on__isnull=False)}


def projects_of(*, schools):
    return Project.objects.filter(school__in=schools).select_related("school", "district")


def money(*, schools) -> dict:
    """Planned (every project not cancelled) against spent (contract amounts of completed
    projects), with the counts per status."""
    qs = projects_of(schools=schools)
    live = ~Q(status=ProjectStatus.CANCELLED)
    agg = qs.aggregate(
        planned=Sum("planned_cost", filter=live), contracted=Sum("contract_amount", filter=live),
        spent=Sum("contract_amount", filter=Q(status=ProjectStatus.COMPLETED)),
        projects=Count("id", filter=live),
        completed=Count("id", filter=Q(status=ProjectStatus.COMPLETED)))
    return {k: _float(v) if isinstance(v, Decimal) else v for k, v in agg.items()}


def money_by_district(*, schools) -> dict[str, dict]:
    live = ~Q(status=ProjectStatus.CANCELLED)
    rows = projects_of(schools=schools).values("district__code").annotate(
        planned=Sum("planned_cost", filter=live),
        spent=Sum("contract_amount", filter=Q(status=ProjectStatus.COMPLETED)),
        projects=Count("id", filter=live))
    return {r["district__code"]: {"planned": _float(r["planned"]), "spent": _float(r["spent"]),
                                  "projects": r["projects"]} for r in rows}


def fact_numbers(*, school, keys) -> dict[str, float | bool | None]:
    """The school's current values of these school facts (absent: unknown)."""
    from_db = FactValue.objects.filter(school=school, key__in=list(keys), room__isnull=True,
                                       service__isnull=True, superseded_at__isnull=True)
    return {fv.key: fv.num if fv.num is not None else fv.flag for fv in from_db}


def current_status(*, project) -> list[dict]:
    """The current result of each requirement the project closes (达标 once it is built)."""
    ids = [i for i in (project.requirement_ids or "").split("、") if i]
    rows = current_matrix(schools=[project.school]).select("requirement_id", "status")
    found = {req: status for req, status in rows.iter_rows() if req in ids}
    return [{"requirement_id": i, "status": found.get(i, "")} for i in ids]
