"""Export a school's or a district's stored facts (and latest results) as .json, .xlsx or .csv
through the exchange layer — the same files `campusplan export` writes, so they re-import
unchanged. CSV is several files (schools, rooms, services, devices, results): they come zipped.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from pydantic import model_validator

from campusplan.api.auth import actor, school_of, whole_district
from campusplan.api.schemas import DistrictCode, SchoolCode, responses
from campusplan.usecases import exports

router = Router(tags=["exports 导出"])

CONTENT_TYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
}
BINARY = {"schema": {"type": "string", "format": "binary"}}
FILE_RESPONSE = {200: {  # an int key, as ninja's own: "200" would be a duplicate key in the JSON
    "description": "导出文件 / the exported file (csv: a zip of CSV files)",
    "content": {t: {"schema": {"type": "object", "description": "campusplan-export JSON"}}
                if t == "application/json" else BINARY for t in CONTENT_TYPES.values()}}}


class ExportIn(Schema):
    school: SchoolCode | None = Field(None, description="一所学校")
    district: DistrictCode | None = Field(None, description="或一个区（需能看到全区）")
    format: Literal["json", "xlsx", "csv"] = "json"
    results: bool = Field(True, description="包含最近一次评估结果")
    lang: Literal["zh", "en"] = "zh"

    @model_validator(mode="after")
    def _one_scope(self) -> ExportIn:
        if (self.school is None) == (self.district is None):
            raise ValueError("give exactly one of school or district / school 与 district 二选一")
        return self


def _zip(paths: list[Path], target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in paths:
            zf.write(p, p.name)
    return target


@router.get("/exports", response=responses(None, 403, 404), openapi_extra={
    "responses": FILE_RESPONSE}, summary="导出学校数据与结果 / export facts and results")
def export(request, params: Query[ExportIn]):
    if params.school:
        school_of(request, params.school)
        scope_name = params.school
    else:
        whole_district(request, params.district)
        scope_name = params.district
    with tempfile.TemporaryDirectory(prefix="campusplan-export-") as tmp:
        target = Path(tmp) / f"campusplan-{scope_name}.{params.format}"
        paths, _n = exports.export(actor=actor(request), path=target, school=params.school,
                                   district=params.district, lang=params.lang,
                                   with_results=params.results)
        if params.format == "csv":
            target = _zip(paths, Path(tmp) / f"campusplan-{scope_name}-csv.zip")
        content = target.read_bytes()
    response = HttpResponse(content, content_type=CONTENT_TYPES[params.format])
    response["Content-Disposition"] = f'attachment; filename="{target.name}"'
    return response
