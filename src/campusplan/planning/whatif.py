"""What-if: assess and plan again with more classes or students, without touching stored data."""

from __future__ import annotations

import copy
import math

from campusplan.engine.inputs import Inputs


def grow(inputs: Inputs, classes_pct: float = 0.0, students_pct: float = 0.0) -> Inputs:
    """A copy of the inputs with every stage's classes and students scaled up (rounded up).

    The largest class (最大班额) is kept: growth is modelled as more classes of the same size,
    the way 建标 school sizes grow.
    """
    out = copy.deepcopy(inputs)
    for school in out.schools:
        for stage in school.stages.values():
            for key, pct in (("classes", classes_pct), ("students", students_pct)):
                if getattr(stage, key) is not None and pct:
                    setattr(stage, key, math.ceil(getattr(stage, key) * (1 + pct / 100)))
    return out
