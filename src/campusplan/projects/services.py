"""Writes of price lines and projects, each with its audit rows in the same transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from campusplan.accounts import audit
from campusplan.projects.models import DistrictPrice, Project

PRICE_FIELDS = ("unit_price", "unit_zh", "unit_en", "service_life_years", "source", "priced_on")
PROJECT_FIELDS = ("status", "funding_source", "contract_amount", "supplier", "owner",
                  "start_on", "due_on", "completed_on", "title")


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def price_set(*, district, key: str, values: dict) -> DistrictPrice | None:
    """Set the district's figures for one line; audited field by field. None if unchanged."""
    row = DistrictPrice.objects.filter(district=district, key=key).first()
    blank = row or DistrictPrice()  # a new line changes from the empty one
    before = {f: _plain(getattr(blank, f)) for f in PRICE_FIELDS}
    after = {f: _plain(values.get(f)) for f in PRICE_FIELDS}
    if before == after:
        return None
    row = row or DistrictPrice(district=district, key=key)
    for f in PRICE_FIELDS:
        setattr(row, f, values.get(f))
    row.updated_at = timezone.now()
    row.save()
    for f in PRICE_FIELDS:
        if before[f] != after[f]:
            audit.record(object_type="price", object_key=f"{district.code}:{key}",
                         district_code=district.code, field=f, before=before[f], after=after[f])
    return row


def project_create(*, values: dict, user=None) -> Project:
    project = Project.objects.create(**values, created_by=user)
    audit.record(object_type="project", object_key=str(project.pk), school=project.school,
                 field="created", after={k: _plain(v) for k, v in values.items()
                                         if k not in ("school", "district")},
                 note=project.title)
    return project


def project_update(*, project: Project, values: dict) -> list[str]:
    """Apply the changed fields; one audit row per field. The names of the fields changed."""
    changed = []
    for f in PROJECT_FIELDS:
        if f in values and _plain(getattr(project, f)) != _plain(values[f]):
            audit.record(object_type="project", object_key=str(project.pk),
                         school=project.school, field=f, before=_plain(getattr(project, f)),
                         after=_plain(values[f]))
            setattr(project, f, values[f])
            changed.append(f)
    if changed:
        project.save()
    return changed
