"""Approved deviations that expire (usecases.deviations) and evidence files
(usecases.evidence): list, grant, revoke, what expires soon; upload and download within scope."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import FileResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import Field, File, Form, Path, Query, Router, Schema
from ninja.files import UploadedFile

from campusplan.api.auth import actor
from campusplan.api.schemas import CODE, responses
from campusplan.usecases import deviations, evidence

router = Router(tags=["deviations 审批与佐证"])
Code = Annotated[str, Path(pattern=CODE, description="学校标识码 / 行政区划代码")]


class DeviationOut(Schema):
    id: int
    school: str
    kind: str = Field(description="data_center 自建数据中心审批 · smart_phase 智慧教室阶段申请 · "
                                  "waiver 要求豁免")
    requirement_id: str
    phase: str
    justification: str
    approver: str
    granted_on: dt.date
    expires_on: dt.date
    revoked_on: dt.date | None
    attachment: int | None
    valid_today: bool


class DeviationIn(Schema):
    kind: Literal["data_center", "smart_phase", "waiver"]
    justification: str = Field(..., min_length=1, max_length=4000)
    approver: str = Field(..., min_length=1, max_length=150)
    granted_on: dt.date
    expires_on: dt.date
    requirement_id: str = Field("", max_length=20, description="waiver: 豁免的要求编号")
    phase: Literal["", "pilot", "general"] = Field("", description="smart_phase: 申请的阶段")
    attachment: int | None = Field(None, ge=1, le=2**31 - 1, description="本校佐证材料 id")


class ExpiringOut(Schema):
    deviation: DeviationOut
    days_left: int = Field(description="negative: expired that many days ago")


class EvidenceOut(Schema):
    id: int
    school: str
    requirement_id: str
    kind: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class EvidenceForm(Schema):
    kind: Literal["photo", "contract", "acceptance"]
    requirement_id: str = Field("", max_length=20)
    note: str = Field("", max_length=300)


def _deviation(d) -> dict:
    return {"id": d.pk, "school": d.school.code, "kind": d.kind,
            "requirement_id": d.requirement_id, "phase": d.phase,
            "justification": d.justification, "approver": d.approver,
            "granted_on": d.granted_on, "expires_on": d.expires_on, "revoked_on": d.revoked_on,
            "attachment": d.attachment_id, "valid_today": d.valid_on(timezone.localdate())}


def _evidence(e) -> dict:
    return {"id": e.pk, "school": e.school.code, "requirement_id": e.requirement_id,
            "kind": e.kind, "file_name": e.file_name, "content_type": e.content_type,
            "size": e.size, "sha256": e.sha256, "uploaded_at": e.uploaded_at}


@router.get("/schools/{code}/deviations", response=responses(list[DeviationOut], 404),
            summary="学校的审批与豁免 / a school's approvals and waivers")
def deviation_list(request, code: Code):
    return [_deviation(d) for d in deviations.of_school(actor=actor(request), school=code)]


@router.post("/schools/{code}/deviations", response=responses(DeviationOut, 403, 404, 422),
             summary="登记审批或豁免（区级、市级）/ grant an approval or waiver")
def deviation_grant(request, code: Code, payload: DeviationIn):
    d = deviations.grant(actor=actor(request), school=code, **payload.dict())
    return _deviation(d)


@router.post("/deviations/{pk}/revoke", response=responses(DeviationOut, 403, 404),
             summary="撤销审批或豁免 / revoke")
def deviation_revoke(request, pk: Annotated[int, Path(ge=1, le=2**31 - 1)]):
    return _deviation(deviations.revoke(actor=actor(request), pk=pk))


@router.get("/districts/{code}/deviations/expiring",
            response=responses(list[ExpiringOut], 403, 404),
            summary="本区即将到期（或刚到期）的审批与豁免 / what expires soon")
def deviation_expiring(request, code: Code,
                       within: Annotated[int, Query(ge=1, le=366)] = deviations.SOON_DAYS):
    return [{"deviation": _deviation(e.deviation), "days_left": e.days_left}
            for e in deviations.expiring(actor=actor(request), district=code, within=within)]


@router.get("/schools/{code}/evidence", response=responses(list[EvidenceOut], 404),
            summary="学校的佐证材料 / a school's evidence files")
def evidence_list(request, code: Code):
    return [_evidence(e) for e in evidence.of_school(actor=actor(request), school=code)]


@router.post("/schools/{code}/evidence", response=responses(EvidenceOut, 403, 404, 422),
             summary="上传佐证材料 / upload an evidence file")
def evidence_upload(request, code: Code, file: File[UploadedFile], form: Form[EvidenceForm]):
    e = evidence.upload(actor=actor(request), school=code, kind=form.kind,
                        requirement_id=form.requirement_id, note=form.note,
                        file_name=file.name or "", content=file.read(evidence.max_bytes() + 1))
    return _evidence(e)


@router.get("/evidence/{pk}", response=responses(None, 404),
            summary="下载佐证材料（仅限权限范围内）/ download, within scope only")
def evidence_download(request, pk: Annotated[int, Path(ge=1, le=2**31 - 1)]):
    found = evidence.open_evidence(actor=actor(request), pk=pk)
    response = FileResponse(found.path.open("rb"), content_type=found.evidence.content_type)
    response["Content-Disposition"] = content_disposition_header(True, found.evidence.file_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
