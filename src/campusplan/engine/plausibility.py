"""Implausible school profiles, refused before anything is judged or written.

Each check compares values of one school's profile with each other (a stage its 办学类型 does not
have, a largest class larger than the stage, teachers 0 with students) or with the assessment's
as-of date. The checks are campusplan's, not the standard's: they catch typing slips that would
otherwise be judged as if true. Each problem is `(type, loc, ctx)`: `type` names the wording in
engine/inputs.py, `loc` the path inside the school, `ctx` the values the message shows.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Protocol

from campusplan.catalog.codes import school_types, stages_of

Problem = tuple[str, tuple, dict[str, Any]]


class Stage(Protocol):
    classes: int | None
    students: int | None
    max_class_size: int | None


def stage_problems(st: str, stage: Stage) -> list[Problem]:
    """Classes, students and the largest class of one 学段 that cannot all be true."""
    classes, students, largest = stage.classes, stage.students, stage.max_class_size
    at = ("stages", st)
    out: list[Problem] = []
    if classes and students == 0:
        out.append(("stage_students", (*at, "students"), {"classes": classes}))
    if classes == 0 and students:
        out.append(("stage_classes", (*at, "classes"), {"students": students}))
    if largest is not None and students is not None and largest > students:
        out.append(("largest_over_students", (*at, "max_class_size"),
                    {"largest": largest, "students": students}))
    elif largest is not None and classes and students and largest < math.ceil(students / classes):
        out.append(("largest_under_average", (*at, "max_class_size"),
                    {"largest": largest, "average": math.ceil(students / classes),
                     "students": students, "classes": classes}))
    return out


def type_problems(school_type: str, given: set[str]) -> list[Problem]:
    """Stages the 办学类型 does not have, and — when any stage is given — stages it has that are
    not given (a school given without any stage has an unknown profile, not a wrong one)."""
    if school_type not in school_types():
        return []  # an unknown code is reported by the type's own validator
    implied, name = stages_of(school_type), school_types()[school_type]
    implied = implied if given else []
    ctx = {"type": school_type, "type_zh": name["zh"], "type_en": name["en"]}
    out: list[Problem] = [("stage_not_of_type", ("stages", st), ctx | {"stage": st})
                          for st in sorted(given - set(implied))]
    out += [("stage_missing", ("stages", st), ctx | {"stage": st})
            for st in implied if st not in given]
    return out


def teacher_problems(teachers: int | None, students: int) -> list[Problem]:
    if teachers == 0 and students > 0:
        return [("no_teachers", ("teachers",), {"students": students})]
    return []


def phase_problems(since: dt.date | None, as_of: dt.date) -> list[Problem]:
    """A phase cannot have started after the day the school is assessed on."""
    if since is not None and since > as_of:
        return [("phase_in_future", ("smart_phase", "since"),
                 {"since": since.isoformat(), "as_of": as_of.isoformat()})]
    return []
