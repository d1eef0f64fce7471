"""Reading school input: JSON files or parsed data → the typed documents of engine/document.py.

A JSON file holds one school, a list of schools, or `{"schools": [...], "district_services":
[...]}`. The document models are the one validator; this module turns their errors into
located, bilingual `InputError`s (a JSON path, a Chinese and an English reason) — every problem
of every file at once; nothing is assessed unless the whole input is valid. A fact that is
absent (or null) is unknown. See docs/assessment.md and docs/school-input.schema.json.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from campusplan.catalog.loader import Catalog
from campusplan.catalog.vocabulary import STAGE
from campusplan.engine.document import STAGE_KEYS, STAGES, Inputs, models_for

__all__ = ["STAGES", "STAGE_KEYS", "InputError", "InputInvalid", "Inputs", "load_json_files",
           "validate_inputs"]


@dataclass
class InputError:
    path: str
    zh: str
    en: str
    file: str = ""

    def message(self, lang: str = "zh") -> str:
        where = f"{self.file}: {self.path}" if self.file else self.path
        return f"{where}: {self.zh if lang.startswith('zh') else self.en}"


class InputInvalid(Exception):
    def __init__(self, errors: list[InputError]):
        super().__init__(f"{len(errors)} input error(s)")
        self.errors = errors


def load_json_files(paths: list[Path], catalog: Catalog, as_of: dt.date | None = None) -> Inputs:
    """Read and validate JSON files; raise InputInvalid with every problem of every file.
    `as_of` (default today) is the day no smart-classroom phase may start after."""
    schools, dsv, errors = [], [], []
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            inputs = validate_inputs(data, catalog, as_of)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            errors.append(InputError("$", f"无法读取 JSON：{exc}", f"cannot read JSON: {exc}", str(path)))
        except InputInvalid as exc:
            errors += [InputError(e.path, e.zh, e.en, str(path)) for e in exc.errors]
        else:
            schools += inputs.schools
            dsv += inputs.district_services
    errors += _duplicates_across_files(schools)
    if errors:
        raise InputInvalid(errors)
    return models_for(catalog).inputs.model_construct(schools=schools, district_services=dsv)


def validate_inputs(data: Any, catalog: Catalog, as_of: dt.date | None = None) -> Inputs:
    """Validate an already-parsed JSON document (API, importer, stored schools, tests); an
    implausible profile is refused like a wrong type (engine/plausibility.py)."""
    container, prefix = _container(data)
    try:
        return models_for(catalog).inputs.model_validate(container, context={"as_of": as_of})
    except ValidationError as exc:
        raise InputInvalid([_error(e, prefix, catalog) for e in exc.errors()]) from None


def _container(data: Any) -> tuple[Any, str]:
    """The input as `{"schools", "district_services"}` and how its schools' paths begin."""
    if isinstance(data, dict) and "schools" in data:
        return data, "$.schools"
    if isinstance(data, list):
        return {"schools": data}, "$"
    return {"schools": [data]}, ""


def _duplicates_across_files(schools: list) -> list[InputError]:
    seen: set[str] = set()
    out = []
    for s in schools:
        if s.code in seen:
            out.append(InputError("$.code", f"学校标识码在多个文件中重复：{s.code}",
                                  f"school code {s.code} appears in more than one file"))
        seen.add(s.code)
    return out


# --- pydantic errors → located bilingual messages ---------------------------------------------


def _path(loc: tuple, prefix: str) -> str:
    """("schools", 0, "facts", "x") → $.schools[0].facts.x (or $[0]…, or $… for one school)."""
    head, rest = loc[:2], loc[2:]
    if head[:1] == ("schools",) and len(head) == 2:
        out = f"{prefix}[{head[1]}]" if prefix else "$"
    elif head[:1] == ("district_services",) and len(head) == 2:
        out = f"$.district_services[{head[1]}]"
    else:
        out, rest = "$", loc
    for part in rest:
        if part != "[key]":
            out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _role(loc: tuple) -> tuple[str, str]:
    """Which value an error is about: (owner, field), e.g. ("room", "type")."""
    owner = "school" if loc[:1] == ("schools",) else "district_service"
    match loc[2:]:
        case ():
            return (owner, "") if len(loc) == 2 else ("inputs", str(loc[0]))
        case ("stages", _st, "[key]"):
            return "stages", "[key]"
        case ("stages", _st, *field):
            return "stage", "".join(field)
        case ("smart_phase" | "facts" as what, field):
            return what, field
        case ("rooms" | "services" | "devices" as what, int(), *field):
            return what[:-1], "".join(str(f) for f in field)
        case (field,):
            return owner, field
    return owner, ""


def _num(v: float) -> str:
    """A number as the message shows it; an int too long to read is shown in scientific form
    (it may have 400 digits, and float() of it would overflow)."""
    if isinstance(v, int):
        text = str(abs(v))
        sign = "-" if v < 0 else ""
        return sign + text if len(text) <= 20 else f"{sign}{text[0]}.{text[1:7]}e+{len(text) - 1}"
    return str(int(v)) if v.is_integer() else str(v)


def _category_range(catalog: Catalog) -> str:
    keys = [c.key for c in catalog.facts.service_categories]
    return f"{keys[0]}–{keys[-1]}" if keys else ""


# Messages by kind of error (raised by engine/document.py): (zh, en) templates over its context.
BY_TYPE = {
    "number": ("应为数字，实际为 {value!r}", "must be a number, got {value!r}"),
    "whole": ("应为整数，实际为 {value}", "must be a whole number, got {value}"),
    "range": ("超出范围 {rng}：{shown}", "out of range {rng}: {shown}"),
    "flag": ("应为 true/false（是/否），实际为 {value!r}", "must be true or false, got {value!r}"),
    "choice": ("应为 {joined} 之一：{value!r}", "must be one of {choices}: {value!r}"),
    "stage_students": ("班级数为 {classes} 但学生数为 0，数据不一致", "{classes} classes but 0 students"),
    "stage_classes": ("学生数为 {students} 但班级数为 0，数据不一致", "{students} students but 0 classes"),
    "largest_over_students": ("最大班额 {largest} 人大于本学段学生数 {students} 人",
                              "largest class {largest} exceeds the stage's {students} students"),
    "largest_under_average": (
        "最大班额 {largest} 人小于平均班额 {average} 人（{students} 人 ÷ {classes} 个班，向上取整）",
        "largest class {largest} is smaller than the average class {average} "
        "({students} students / {classes} classes, rounded up)"),
    "stage_not_of_type": ("办学类型 {type}（{type_zh}）不设{stage_zh}学段",
                          "school type {type} ({type_en}) has no {stage_en} stage"),
    "stage_missing": ("办学类型 {type}（{type_zh}）设{stage_zh}学段，但未填写该学段",
                      "school type {type} ({type_en}) has a {stage_en} stage, but it is not given"),
    "string_too_long": ("文本过长：最多 {max_length} 个字符", "too long: at most {max_length} characters"),
    "school_code": ("学校标识码只能由英文字母、数字及 - _ 组成（以字母或数字开头，最多 20 位；"
                    "全国学校标识码为 10 位数字）：{value!r}",
                    "a school code is ASCII letters and digits, then also - or _ (at most 20; "
                    "the national code has 10 digits): {value!r}"),
    "no_teachers": ("专任教师数为 0，但有学生 {students} 人", "0 teachers for {students} students"),
    "phase_in_future": ("当前阶段开始日期 {since} 晚于评估日期 {as_of}",
                        "the phase starts on {since}, after the assessment date {as_of}"),
    "duplicate_code": ("学校标识码重复（与第 {first} 所相同）：{code}",
                       "duplicate school code {code} (same as school {first})"),
}
# Messages for whatever is wrong with one value: (zh, en, path suffix).
BY_FIELD = {
    ("school", ""): ("学校应为 JSON 对象", "a school must be an object", ""),
    ("school", "code"): ("缺少学校标识码", "school code missing", ""),
    ("school", "district"): ("未知行政区划代码：{text}", "unknown district code {text!r}", ""),
    ("school", "type"): ("未知办学类型代码：{text}", "unknown school type code {text!r}", ""),
    ("school", "stages"): ("学段应为对象", "stages must be an object", ""),
    ("school", "facts"): ("指标应为对象", "facts must be an object", ""),
    ("school", "rooms"): ("房间应为列表", "rooms must be a list", ""),
    ("school", "services"): ("服务应为列表", "services must be a list", ""),
    ("school", "devices"): ("设备应为列表", "devices must be a list", ""),
    ("school", "smart_phase"): ("阶段应为 exploration / pilot / general",
                                "phase must be exploration, pilot or general", ".phase"),
    ("smart_phase", "phase"): ("阶段应为 exploration / pilot / general",
                               "phase must be exploration, pilot or general", ""),
    ("smart_phase", "since"): ("日期格式应为 YYYY-MM-DD：{text}", "date must be YYYY-MM-DD", ""),
    ("stages", "[key]"): ("未知学段（primary/junior/senior）", "unknown stage", ""),
    ("stage", ""): ("学段应为对象", "a stage must be an object", ""),
    ("room", ""): ("未知房间类型：{value!r}", "unknown room type", ".type"),
    ("room", "type"): ("未知房间类型：{text}", "unknown room type", ""),
    ("service", ""): ("未知服务类别：{value!r}（{categories}）", "unknown category {value!r}",
                      ".category"),
    ("service", "category"): ("未知服务类别：{value!r}（{categories}）",
                              "unknown category {value!r}", ""),
    ("service", "provided_by"): ("应为 school 或 district", "must be school or district", ""),
    ("district_service", ""): ("未知服务类别：{value!r}（{categories}）",
                               "unknown category {value!r}", ".category"),
    ("district_service", "category"): ("未知服务类别：{value!r}（{categories}）",
                                       "unknown category {value!r}", ""),
    ("district_service", "district"): ("未知行政区划代码", "unknown district code", ""),
    ("device", ""): ("缺少设备类别", "device kind missing", ".kind"),
    ("device", "kind"): ("缺少设备类别", "device kind missing", ""),
    ("device", "purchased"): ("购置日期格式应为 YYYY-MM-DD", "purchase date must be YYYY-MM-DD", ""),
    ("inputs", "schools"): ("应为学校列表", "must be a list of schools", ""),
    ("inputs", "district_services"): ("应为服务列表", "must be a list of services", ""),
}
FACT_HOLDERS = ("facts", "room", "service", "district_service")


def _error(e: dict, prefix: str, catalog: Catalog) -> InputError:
    loc, kind, ctx = tuple(e["loc"]), e["type"], dict(e.get("ctx") or {})
    owner, field = _role(loc)
    loc += tuple(ctx.pop("at", ()))
    value = None if kind == "missing" else e["input"]
    args = ctx | {"value": value, "text": "" if value is None else value,
                  "categories": _category_range(catalog)}
    if kind in BY_TYPE:
        zh, en = BY_TYPE[kind]
        suffix = ""
    elif kind == "extra_forbidden":
        fact = owner in FACT_HOLDERS
        zh, en = ("指标字典中没有此项", "not in the fact dictionary") if fact else ("未知字段",
                                                                               "unknown field")
        suffix = ""
    elif (owner, field) in BY_FIELD:
        zh, en, suffix = BY_FIELD[owner, field]
    else:
        zh, en, suffix = f"取值无效：{e['msg']}", e["msg"], ""
    if kind == "range":
        args |= {"rng": f"{_num(ctx['lo'])}–{_num(ctx['hi'])}", "shown": _num(ctx["value"])}
    if kind == "choice":
        args["joined"] = "/".join(ctx["choices"])
    if "stage" in ctx:
        args |= {"stage_zh": STAGE[ctx["stage"]].zh, "stage_en": STAGE[ctx["stage"]].en.lower()}

    return InputError(_path(loc, prefix) + suffix, zh.format(**args), en.format(**args))
