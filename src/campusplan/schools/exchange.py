"""Files out of the database: the survey workbook (pre-filled with stored schools) and exports.

Files in go through services.import_files; both directions use the one layout of
exchange/layout.py, so an export re-imports unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from campusplan.catalog.loader import Catalog, load_catalog
from campusplan.exchange.documents import new_document
from campusplan.exchange.export import write_export
from campusplan.exchange.inventory import load_kinds
from campusplan.exchange.layout import build_layout
from campusplan.exchange.rows import sheet_rows
from campusplan.exchange.workbook import meta_of, write_workbook
from campusplan.schools.selectors import (
    devices_of,
    district_services,
    school_documents,
    school_list,
)


def _json_documents(schools: list, catalog: Catalog) -> list[dict]:
    """Stored documents in the JSON form, which the sheets and the JSON export are made of."""
    return [d.as_json() for d in school_documents(schools=schools, catalog=catalog).values()]


def _json_district_services(district: str | None, school: str | None,
                            catalog: Catalog) -> list[dict]:
    if not district or school:
        return []
    return [s.model_dump(mode="json", exclude_none=True)
            for s in district_services(districts=[district], catalog=catalog)]


def _scope(district: str | None, school: str | None) -> tuple[str, str]:
    return ("school", school) if school else ("district", district or "")


def survey_workbook(path: Path, *, district: str | None = None, school: str | None = None,
                    lang: str = "zh", catalog: Catalog | None = None,
                    kinds_path: Path | None = None) -> tuple[Path, int]:
    """A school (`school=`) or district survey; stored schools of the scope are pre-filled."""
    catalog = catalog or load_catalog()
    kinds = load_kinds(catalog, kinds_path)
    layout = build_layout(catalog, kinds.labels())
    schools = list(school_list(district=None if school else district,
                               codes=[school] if school else None))
    docs = _json_documents(schools, catalog)
    if school and not docs:
        docs = [new_document(school) | {"district": district, "name": None}]
    dsv = _json_district_services(district, school, catalog)
    data = sheet_rows(layout, docs, dsv, devices_of(schools=schools))
    kind, scope = _scope(district, school)
    meta = meta_of(catalog, kind, scope, kinds.version, lang)
    return write_workbook(Path(path), layout, data, meta, lang), len(schools)


def export_schools(path: Path, *, district: str | None = None, school: str | None = None,
                   lang: str = "zh", with_results: bool = True, catalog: Catalog | None = None,
                   progress: Callable | None = None) -> tuple[list[Path], int]:
    from campusplan.assessments.selectors import latest_results

    catalog = catalog or load_catalog()
    kinds = load_kinds(catalog)
    layout = build_layout(catalog, kinds.labels())
    schools = list(school_list(district=None if school else district,
                               codes=[school] if school else None))
    docs = _json_documents(schools, catalog)
    dsv = _json_district_services(district, school, catalog)
    results = latest_results(schools=schools) if with_results else None
    meta = meta_of(catalog, "export", _scope(district, school)[1], kinds.version, lang)
    paths = write_export(Path(path), layout, docs, dsv, devices_of(schools=schools), results,
                         meta, lang, progress)
    return paths, len(schools)
