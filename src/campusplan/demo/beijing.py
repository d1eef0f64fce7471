"""A realistic synthetic Beijing: 16 districts, about 1,700 schools, as input documents.

School counts per district: 海淀 169 (2020: 87 小学 + 82 中学), 西城 100 (2018: 58 + 4 + 38),
通州 125 (2015: 84 + 41) from ../shared/data/statistics.md; the other 13 districts share the rest
of an estimated city total of ≈1,700 (≈1,000 小学-type + ≈690 secondary) equally — an ESTIMATE,
labelled so in the demo. Names are synthetic (「海淀区示例小学007」); no real school is described.

The documents are in the engine's input format and are loaded through the same import service
as any file, so the demo exercises the one validation path.
"""

from __future__ import annotations

from collections import defaultdict

import polars as pl

from campusplan.catalog.codes import districts, school_types
from campusplan.catalog.loader import Catalog
from campusplan.demo.synthetic import population
from campusplan.engine.frames import Frames

KNOWN = {"110108": 169, "110102": 100, "110112": 125}  # statistics.md (M)
CITY_TOTAL = 1_700  # ESTIMATE (statistics.md)
STAGES = ("primary", "junior", "senior")


def district_weights() -> tuple[list[str], list[float]]:
    codes = list(districts())
    rest = (CITY_TOTAL - sum(KNOWN.values())) / (len(codes) - len(KNOWN))
    return codes, [KNOWN.get(c, rest) for c in codes]


def beijing_documents(catalog: Catalog, n: int = CITY_TOTAL, seed: int = 2021) -> dict:
    codes, weights = district_weights()
    frames = population(catalog, n, seed=seed, mix="beijing", district_codes=codes,
                        district_weights=weights)
    return {"schools": to_documents(frames), "district_services": district_services(codes)}


def to_documents(frames: Frames) -> list[dict]:
    """Frames → school documents (the inverse of engine.frames.from_inputs)."""
    rooms, services = defaultdict(list), defaultdict(list)
    room_facts = [c for c in frames.rooms.columns if c.startswith("room.")]
    for r in frames.rooms.iter_rows(named=True):
        facts = {c.removeprefix("room."): r[c] for c in room_facts if r[c] is not None}
        rooms[r["school_id"]].append({"type": r["room_type"], "code": r["room_code"], **facts})
    svc_facts = [c for c in frames.services.columns if c.startswith("service.")
                 and c not in ("service.provided_by", "service.district_provides")]
    own = frames.services.filter(pl.col("service.provided_by") == "school")
    for r in own.iter_rows(named=True):
        facts = {c.removeprefix("service."): r[c] for c in svc_facts if r[c] is not None}
        services[r["school_id"]].append({"category": r["category"], "name": f"{r['category']} 服务",
                                         "vendor": "示例服务商", **facts})
    seq: dict[str, int] = defaultdict(int)
    docs = []
    for s in frames.schools.iter_rows(named=True):
        seq[s["district"]] += 1
        docs.append(_school(s, seq[s["district"]], rooms, services))
    return docs


def _school(s: dict, n: int, rooms, services) -> dict:
    district, stype = s["district"], s["school.type"]
    code = f"11{district[-2:]}{n:06d}"
    name = f"{districts()[district]['zh']}示例{school_types()[stype]['zh']}{n:03d}"
    stages = {st: {k: s[f"stage.{st}.{k}"] for k in ("classes", "students", "max_class_size")}
              for st in STAGES if s[f"school.has_{st}"]}
    facts = {k.removeprefix("fact."): v for k, v in s.items()
             if k.startswith("fact.") and v is not None}
    doc = {"code": code, "name": name, "district": district, "type": stype, "stages": stages,
           "teachers": s["school.teachers"], "facts": facts,
           "approved_data_center": bool(s["school.approved_data_center"]),
           "rooms": rooms.get(s["school_id"], []), "services": services.get(s["school_id"], [])}
    if s["school.smart_phase"] != "none":
        years = s["school.smart_phase_years"] or 0
        doc["smart_phase"] = {"phase": s["school.smart_phase"],
                              "since": f"{2026 - int(years)}-09-01"}
    return doc


def district_services(codes: list[str]) -> list[dict]:
    """Each district provides a home-school platform (37) and homework diagnosis (40)."""
    return [svc | {"district": code} for code in codes for svc in (
        {"category": "svc37", "name": "区级家校互动平台", "vendor": "区统一采购", "vendor_years": 8,
         "daily_active_users": 300_000, "purchase_unit": "学校.年度", "unit_price": 0},
        {"category": "svc40", "name": "区级作业诊断服务", "vendor": "区统一采购", "vendor_years": 6,
         "daily_active_users": 120_000, "purchase_unit": "班级.年度", "unit_price": 600},
    )]
