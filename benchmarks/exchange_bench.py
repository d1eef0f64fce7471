"""Benchmarks of data exchange (not run by the test suite).

    .venv/bin/python benchmarks/exchange_bench.py            # both cases, each in a fresh process
    .venv/bin/python benchmarks/exchange_bench.py --case workbook
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/campusplan_bench .venv/bin/python ...

1. workbook: a 300-school district survey workbook (profile, school facts, services: one row per
   school), generated from the synthetic population, imported into an empty database and
   assessed (run stored). Target: < 5 s for import + assessment.
   workbook-rooms: the same plus the full room inventory (~8,700 rooms, ~250,000 room facts).
2. snipeit: a 100,000-row Snipe-IT asset CSV for those schools, imported (devices stored, facts
   derived). Target: < 20 s, peak memory < 1 GiB.

Each case runs in its own process so its peak memory (getrusage ru_maxrss) is its own. SQLite
(a temporary file) unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

N_SCHOOLS, N_ASSETS, DISTRICT = 300, 100_000, "110108"


def cpu() -> float:
    """User + system CPU seconds of this process: steadier than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(tmp: Path) -> None:
    os.environ.setdefault("CAMPUSPLAN_VAR_DIR", str(tmp))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campusplan.settings")
    import django
    from django.core.management import call_command

    django.setup()
    if os.environ.get("DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0, interactive=False)


def documents(catalog) -> list[dict]:
    """The synthetic population as engine JSON documents (what a filled survey holds)."""
    from campusplan.demo.synthetic import population

    frames = population(catalog, N_SCHOOLS, seed=4, mix="beijing", district_codes=[DISTRICT])
    rooms: dict[str, list] = {}
    for r in frames.rooms.drop("school_idx").iter_rows(named=True):
        rooms.setdefault(r["school_id"], []).append(
            {"code": r["room_code"], "type": r["room_type"]}
            | {k[5:]: v for k, v in r.items() if k.startswith("room.") and v is not None})
    services: dict[str, list] = {}
    for s in frames.services.drop("school_idx").iter_rows(named=True):
        if s["service.provided_by"] == "school":
            mine = services.setdefault(s["school_id"], [])
            mine.append(
                {"category": s["category"], "name": f"{s['name']} {len(mine) + 1}",
                 "vendor": s["vendor"] or ""}
                | {k[8:]: v for k, v in s.items() if k.startswith("service.") and v is not None
                   and k != "service.district_provides"})
    return [_school(s, rooms, services) for s in frames.schools.iter_rows(named=True)]


def _school(s: dict, rooms: dict, services: dict) -> dict:
    stages = {st: {k: s[f"stage.{st}.{k}"] for k in ("classes", "students", "max_class_size")}
              for st in ("primary", "junior", "senior") if s[f"school.has_{st}"]}
    code = f"11010800{int(s['school_id'][-4:]):04d}"
    return {"code": code, "name": f"海淀区第{code[-3:]}学校", "district": DISTRICT,
            "type": s["school.type"], "teachers": s["school.teachers"], "stages": stages,
            "smart_phase": None, "approved_data_center": False,
            "facts": {k[5:]: v for k, v in s.items() if k.startswith("fact.") and v is not None},
            "rooms": rooms.get(s["school_id"], []), "services": services.get(s["school_id"], []),
            "_sid": s["school_id"]}


def case_workbook(tmp: Path, rooms: bool = True) -> None:
    from campusplan.catalog import load_catalog
    from campusplan.exchange.inventory import load_kinds
    from campusplan.exchange.layout import build_layout
    from campusplan.exchange.rows import sheet_rows
    from campusplan.exchange.workbook import meta_of, write_workbook

    catalog = load_catalog()
    kinds = load_kinds(catalog)
    docs = documents(catalog)
    if not rooms:
        for d in docs:
            d["rooms"] = None
    layout = build_layout(catalog, kinds.labels())
    path = tmp / f"haidian-300{'-rooms' if rooms else ''}.xlsx"
    t0 = time.perf_counter()
    write_workbook(path, layout, sheet_rows(layout, [_clean(d) for d in docs]),
                   meta_of(catalog, "district", DISTRICT, kinds.version, "zh"))
    t_write = time.perf_counter() - t0
    n_rooms = sum(len(d["rooms"] or []) for d in docs)
    print(f"workbook: {N_SCHOOLS} schools, {n_rooms} rooms, {path.stat().st_size / 2**20:.1f} MiB"
          f" written in {t_write:.2f} s (setup, not timed below)")
    _import_and_assess(path, catalog)


def _clean(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "_sid"}


def _import_and_assess(path: Path, catalog) -> None:
    from campusplan.accounts import audit
    from campusplan.schools.models import FactValue
    from campusplan.usecases.imports import import_files

    actor = audit.actor_for(None, "cli", name="bench")
    t0, c0 = time.perf_counter(), cpu()
    report = import_files(actor=actor, paths=[path])  # writes, audits and re-assesses
    total, c_total = time.perf_counter() - t0, cpu() - c0
    assert report.ok, [p.message() for p in report.problems[:5]]
    t2 = time.perf_counter()
    again = import_files(actor=actor, paths=[path])
    t_again = time.perf_counter() - t2
    print(f"  import + assess {total:6.2f} s  (cpu {c_total:.2f} s; "
          f"{len(report.plan.changes):,} changes, {FactValue.objects.count():,} fact values, "
          f"{report.run.results:,} result rows stored)")
    print(f"  total    {total:6.2f} s  target < 5 s: {'OK' if total < 5 else 'MISSED'} "
          f"(ratio {total / 5:.2f} of target)")
    print(f"  re-import of the same file: {t_again:.2f} s, {len(again.plan.changes)} changes")
    print(f"  peak memory {peak_mib():.0f} MiB")


def case_snipeit(tmp: Path) -> None:
    from campusplan.accounts import audit
    from campusplan.catalog import load_catalog
    from campusplan.schools.models import Device
    from campusplan.usecases.imports import import_files

    catalog = load_catalog()
    actor = audit.actor_for(None, "cli", name="bench")
    docs = [_clean(d) for d in documents(catalog)]
    json_path = tmp / "schools.json"
    import json

    json_path.write_text(json.dumps({"schools": docs}, ensure_ascii=False), encoding="utf-8")
    assert import_files(actor=actor, paths=[json_path]).ok
    csv_path = snipeit_csv(tmp / "snipeit.csv", docs)
    print(f"snipeit: {N_ASSETS:,} assets, {csv_path.stat().st_size / 2**20:.1f} MiB CSV")
    t0 = time.perf_counter()
    report = import_files(actor=actor, paths=[csv_path])
    elapsed = time.perf_counter() - t0
    assert report.ok, [p.message() for p in report.problems[:5]]
    peak = peak_mib()
    print(f"  import   {elapsed:6.2f} s  target < 20 s: {'OK' if elapsed < 20 else 'MISSED'} "
          f"(ratio {elapsed / 20:.2f}); {Device.objects.count():,} devices, "
          f"{len(report.plan.changes):,} changes; {N_ASSETS / elapsed:,.0f} rows/s")
    print(f"  peak memory {peak:.0f} MiB  target < 1024 MiB: {'OK' if peak < 1024 else 'MISSED'}")
    t1 = time.perf_counter()
    again = import_files(actor=actor, paths=[csv_path])
    print(f"  re-import {time.perf_counter() - t1:.2f} s, {len(again.plan.changes)} changes")


def snipeit_csv(path: Path, docs: list[dict]) -> Path:
    """Per school: a teacher computer, camera, AP and class board per classroom; 45 student
    computers and a switch per computer room; the rest tablets and office computers."""
    per_school = N_ASSETS // len(docs)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Company", "Name", "Asset Tag", "Category", "Model", "Location",
                    "Purchase Date", "Purchase Cost", "Status", "Serial"])
        n = 0
        for i, doc in enumerate(docs):
            count = per_school + (N_ASSETS % len(docs) if i == 0 else 0)
            for category, location in _assets(doc, count):
                n += 1
                w.writerow([doc["code"], f"asset {n}", f"BJ-{n:07d}", category, "model",
                            location, "2023-09-01", "3999.00", "Deployed", f"SN{n}"])
    return path


def _assets(doc: dict, count: int):
    out = []
    for room in doc["rooms"]:
        if room["type"] == "ordinary_classroom":
            out += [(c, room["code"]) for c in ("Teacher Computers", "Cameras", "Access Points",
                                                 "Class Boards")]
        elif room["type"] == "computer_room":
            out += [("Student Computers", room["code"])] * 45 + [("Switches", room["code"])]
    while len(out) < count:
        out.append(("Tablets" if len(out) % 3 else "Teacher Computers", ""))
    return out[:count]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", choices=("workbook", "workbook-rooms", "snipeit"))
    args = parser.parse_args()
    if args.case is None:
        for case in ("workbook", "workbook-rooms", "snipeit"):
            subprocess.run([sys.executable, __file__, "--case", case], check=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp))
        if args.case == "snipeit":
            case_snipeit(Path(tmp))
        else:
            case_workbook(Path(tmp), rooms=args.case == "workbook-rooms")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
