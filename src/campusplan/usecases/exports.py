"""Files out of the database: the survey workbook (pre-filled with stored schools) and exports of
stored facts with the stored results (explained in the reader's language).

Files in go through usecases.imports; both directions use the one layout of exchange/layout.py,
so an export re-imports unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from campusplan.accounts import audit, versions
from campusplan.accounts.audit import Actor
from campusplan.assessments.selectors import stored_assessment
from campusplan.catalog.loader import Catalog, load_catalog
from campusplan.exchange.documents import new_document, with_values
from campusplan.exchange.export import write_export
from campusplan.exchange.inventory import load_kinds
from campusplan.exchange.layout import build_layout
from campusplan.exchange.rows import sheet_rows
from campusplan.exchange.workbook import meta_of, write_workbook
from campusplan.schools.models import School
from campusplan.schools.selectors import devices_of, district_services, school_documents
from campusplan.usecases import scoping

RESULT_KEYS = ("requirement_id", "item", "level", "status", "actual", "required", "shortfall",
               "basis", "rows_short", "explanation")


def _json_documents(schools: list[School], catalog: Catalog) -> list[dict]:
    """Stored documents in the JSON form, which the sheets and the JSON export are made of."""
    return [d.as_json() for d in school_documents(schools=schools, catalog=catalog).values()]


def _json_district_services(district: str | None, school: str | None,
                            catalog: Catalog) -> list[dict]:
    if not district or school:
        return []
    return [s.model_dump(mode="json", exclude_none=True)
            for s in district_services(districts=[district], catalog=catalog)]


def _scope(actor: Actor, district: str | None, school: str | None) -> list[School]:
    if school:
        return [scoping.school(actor, school)]
    return scoping.district_schools(actor, district or "")


def survey(*, actor: Actor, path: Path, district: str | None = None, school: str | None = None,
           lang: str = "zh", kinds_path: Path | None = None,
           values: dict[str, dict] | None = None) -> tuple[Path, int]:
    """A school (`school=`) or district survey; stored schools of the scope are pre-filled.
    The operator may ask for the survey of a school not stored yet (a blank one). `values`
    (school code → {fact.x: value, …}) pre-fill some cells with other values than the stored
    ones — a campaign's last accepted values."""
    catalog = load_catalog()
    kinds = load_kinds(catalog, kinds_path)
    layout = build_layout(catalog, kinds.labels())
    if scoping.is_operator(actor):  # may survey a school or district not stored yet
        where = {"code": school} if school else {"district__code": district}
        schools = list(scoping.schools_of(actor).filter(**where).order_by("code"))
    else:
        schools = _scope(actor, district, school)
    docs = [with_values(d, values[d["code"]]) if values and d["code"] in values else d
            for d in _json_documents(schools, catalog)]
    if school and not docs:
        docs = [new_document(school) | {"district": district, "name": None}]
    dsv = _json_district_services(district, school, catalog)
    data = sheet_rows(layout, docs, dsv, devices_of(schools=schools))
    kind, scope = ("school", school) if school else ("district", district or "")
    meta = meta_of(catalog, kind, scope, kinds.version, lang) | versions.meta_rows(schools)
    written = write_workbook(Path(path), layout, data, meta, lang)
    _audited(actor, "survey", scope, len(schools))
    return written, len(schools)


def _audited(actor: Actor, kind: str, scope: str, schools: int) -> None:
    """Data leaving the system is a security event (who exported what, from where)."""
    with audit.acting_as(actor):
        audit.event("export", subject=f"{kind} {scope}", note=f"{schools} schools")


def stored_results(*, schools: list[School], catalog: Catalog, lang: str) -> list[dict]:
    """The schools' current results in the export's column keys, explained in `lang`."""
    assessment, _info = stored_assessment(schools=schools, catalog=catalog)
    rows = assessment.explained(lang=lang)
    rows.sort(key=lambda r: (r["school_id"], r["req"]))
    return [{"code": r["school_id"], "name": r["name"]} | {k: r[k] for k in RESULT_KEYS}
            for r in rows]


def export(*, actor: Actor, path: Path, district: str | None = None, school: str | None = None,
           lang: str = "zh", with_results: bool = True,
           progress: Callable | None = None) -> tuple[list[Path], int]:
    catalog = load_catalog()
    kinds = load_kinds(catalog)
    layout = build_layout(catalog, kinds.labels())
    schools = _scope(actor, district, school)
    docs = _json_documents(schools, catalog)
    dsv = _json_district_services(district, school, catalog)
    results = stored_results(schools=schools, catalog=catalog, lang=lang) if with_results \
        else None
    meta = meta_of(catalog, "export", school or district or "", kinds.version, lang) \
        | versions.meta_rows(schools)
    paths = write_export(Path(path), layout, docs, dsv, devices_of(schools=schools), results,
                         meta, lang, progress)
    _audited(actor, "export", school or district or "", len(schools))
    return paths, len(schools)
