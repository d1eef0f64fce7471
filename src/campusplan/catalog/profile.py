"""The profile values a check may read besides facts: `school.*` and `stage.*`.

These are not facts of the dictionary: they describe the school itself (办学类型, classes and
students per 学段, 专任教师, smart-classroom phase, approvals) and counts derived from its rooms.
The engine builds exactly these columns; the validator rejects any other `school.`/`stage.` name.
"""

from __future__ import annotations

from campusplan.catalog.schema import FactDictionary, Text
from campusplan.catalog.vocabulary import SMART_PHASE

NO_PHASE = "none"  # the school has not started smart classrooms
# 5.11's phases (探索期 / 试点期 / 普适应用期), in the vocabulary's words
SMART_PHASES = {k: Text(zh=t.zh, en=t.en) for k, t in SMART_PHASE.items() if k != NO_PHASE}

STAGE_FIELDS: dict[str, Text] = {
    "classes": Text(zh="班级数", en="classes"),
    "students": Text(zh="学生数", en="students"),
    "max_class_size": Text(zh="最大班额", en="largest class"),
    # the part of a whole-school resource this 学段 carries, by the standard's per-pupil
    # weights (`indicators.equity.stage_weights`): w·P / Σ w·P; unknown without weights
    "share": Text(zh="本学段分摊比例", en="this stage's share"),
}

SCHOOL_FIELDS: dict[str, Text] = {
    "type": Text(zh="办学类型", en="school type"),
    "classes": Text(zh="班级数", en="classes"),
    "students": Text(zh="学生数", en="students"),
    "max_class_size": Text(zh="最大班额", en="largest class"),
    "teachers": Text(zh="专任教师", en="full-time teachers"),
    "has_primary": Text(zh="设小学学段", en="has a primary stage"),
    "has_junior": Text(zh="设初中学段", en="has a junior stage"),
    "has_senior": Text(zh="设高中学段", en="has a senior stage"),
    "smart_phase": Text(zh="智慧教室应用阶段", en="smart-classroom phase"),
    "smart_phase_years": Text(zh="当前阶段已进行年数", en="years in the current phase"),
    "approved_data_center": Text(zh="自建数据中心已获批", en="own data centre approved"),
}


def school_fields(facts: FactDictionary) -> dict[str, Text]:
    """SCHOOL_FIELDS plus `n_<room type>`: rooms of that type (unknown if rooms not inventoried)."""
    out = dict(SCHOOL_FIELDS)
    for rt in facts.room_types:
        out[f"n_{rt.key}"] = Text(zh=f"{rt.label.zh}数量", en=f"{rt.label.en} count")
    return out


SERVICE_DERIVED: dict[str, Text] = {
    "district_provides": Text(
        zh="区级已统一提供同类服务", en="the district already provides this category"
    ),
}
