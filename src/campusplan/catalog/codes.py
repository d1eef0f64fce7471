"""Reference codes (districts, 办学类型 and the 学段 each implies) from standards/codes.yaml."""

from __future__ import annotations

from functools import cache

from campusplan.catalog.loader import STANDARDS_DIR, read_yaml


@cache
def codes() -> dict:
    return read_yaml(STANDARDS_DIR / "codes.yaml")


def districts() -> dict[str, dict]:
    return codes()["districts"]


def school_types() -> dict[str, dict]:
    return codes()["school_types"]


def stages_of(school_type: str) -> list[str]:
    return list(school_types()[school_type]["stages"])
