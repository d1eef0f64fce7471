"""Response and request schemas (stable names in the OpenAPI document), pagination and
ordering helpers shared by the routers.

Every list answers `{"count", "limit", "offset", "items"}`; `limit` is at most MAX_LIMIT. Query
strings that reach the database are bounded (length, no control characters) so that bad input
is a 422, never a database error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import create_model

from campusplan.api.errors import ApiError
from campusplan.catalog.loader import load_catalog
from campusplan.catalog.schema import Scope

MAX_LIMIT = 500
MAX_OFFSET = 10_000_000

# --- bounded strings ------------------------------------------------------------------------

CODE = r"^[0-9A-Za-z_.-]{1,20}$"
KEY = r"^[a-z][a-z0-9_]{0,63}$"
TEXT = r"^[^\x00-\x1f\x7f]*$"  # no control characters (PostgreSQL refuses NUL)

# examples name the example schools (examples/*.json): the docs' "try it out" and schemathesis
# start from them
SchoolCode = Annotated[str, Field(pattern=CODE, description="学校标识码",
                                  examples=["1101080101"])]
DistrictCode = Annotated[str, Field(pattern=CODE, description="行政区划代码",
                                    examples=["110108"])]
FactKey = Annotated[str, Field(pattern=KEY, description="指标字典中的 key",
                               examples=[next(f.key for f in load_catalog().facts.facts
                                                  if f.scope == Scope.school)])]
RequirementId = Annotated[str, Field(pattern=r"^[0-9a-z.\-]{1,20}$", description="要求编号",
                                     examples=["22-7"])]
Search = Annotated[str, Field(min_length=1, max_length=100, pattern=TEXT)]
RoomCode = Annotated[str, Field(min_length=1, max_length=60, pattern=TEXT, description="房间编号",
                               examples=["101"])]
Value = Annotated[
    bool | Annotated[int, Field(ge=-(10**15), le=10**15)] | Annotated[float, Field(
        allow_inf_nan=False)] | Annotated[str, Field(max_length=200, pattern=TEXT)],
    Field(description="布尔、数字或枚举值 / a bool, a number or an enum choice", examples=[30]),
]
OutValue = bool | int | float | str | None
StatusName = Literal["met", "gap", "violation", "unknown", "not_applicable"]
LevelName = Literal["required", "optional"]


# --- errors ---------------------------------------------------------------------------------


class Message(Schema):
    zh: str
    en: str


class ErrorOut(Schema):
    code: str = Field(examples=["not_found"])
    message: Message
    details: list[dict[str, Any]] = []


def responses(ok: Any, *errors: int, status: int = 200) -> dict[int, Any]:
    """An operation's responses: its success schema, plus the errors every operation can
    answer (400 a malformed request body, 401 unauthenticated, 422 invalid parameters, 429 rate
    limited) and `errors`."""
    out: dict[int, Any] = {status: ok}
    for code in (400, 401, 422, 429, *errors):
        out[code] = ErrorOut
    return out


# --- pagination and ordering ----------------------------------------------------------------


class PageIn(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"每页条数（≤ {MAX_LIMIT}）")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数")


def page_of(item: type, name: str) -> type[Schema]:
    """`{name}`: one page of `item`s with the total count."""
    return create_model(name, __base__=Schema, count=(int, ...), limit=(int, ...),
                        offset=(int, ...), items=(list[item], ...))


def paginate(rows: QuerySet | list, page: PageIn, convert=None) -> dict[str, Any]:
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    chunk = list(rows[page.offset:page.offset + page.limit])
    items = [convert(r) for r in chunk] if convert else chunk
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": items}


def order(rows: QuerySet, ordering: str, fields: dict[str, str]) -> QuerySet:
    """Order by a whitelisted public name (`-name` descending), then by id for stability."""
    desc = ordering.startswith("-")
    field = fields.get(ordering.lstrip("-"))
    if field is None:  # the Literal type of each filter already refuses other names
        raise ApiError(422, "validation_error")
    return rows.order_by(f"-{field}" if desc else field, "-pk" if desc else "pk")


def orderings(*names: str) -> Any:
    return Literal[tuple(x for n in names for x in (n, f"-{n}"))]


# --- shared shapes --------------------------------------------------------------------------


class Text(Schema):
    zh: str
    en: str


class SourceOut(Schema):
    id: int
    kind: str
    file_name: str
    actor: str
    created_at: dt.datetime


class WhereOut(Schema):
    sheet: str
    row: int | None
    column: str
    path: str


class ChangeOut(Schema):
    school: str | None = Field(description="学校标识码；区级服务为空")
    target: str = Field(description="school | room | service | device")
    ref: str = Field(description="房间编号、服务（类别/名称）、资产标签或区")
    key: str
    old: Any = None
    new: Any = None


def plain(value: Any) -> Any:
    """A JSON-safe copy of a change's old/new value (devices as objects, dates as text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name != "where"}
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def change_out(c) -> dict[str, Any]:
    """An exchange Change as ChangeOut (`ref` parts joined by "/")."""
    return {"school": c.school, "target": c.target, "ref": c.ref.replace("\x1f", "/"),
            "key": c.key, "old": plain(c.old), "new": plain(c.new)}


class ConflictOut(Schema):
    id: str = Field(description="冲突单元格：<学校>[/<房间>]:<项>，用于 choices")
    reason: str = Field(description="changed（生成后已被修改）| inventory（清单计数与填报值不同）")
    change: ChangeOut = Field(description="old：现存值；new：文件或表单中的值")
    then: Any = Field(None, description="生成工作簿/表单时的值")
    by: str = Field("", description="此后修改者")
    at: str | None = None


def conflict_out(c) -> dict[str, Any]:
    return {"id": c.id, "reason": c.reason, "change": change_out(c.change),
            "then": plain(c.then), "by": c.by, "at": c.at.isoformat() if c.at else None}


class StageOut(Schema):
    classes: int | None = None
    students: int | None = None
    max_class_size: int | None = None
