"""Plan benchmark: changing the budget on a district's plan page, re-planned through htmx.

    .venv/bin/python benchmarks/plan_bench.py                 # Haidian of the demo city
    .venv/bin/python benchmarks/plan_bench.py --city 3400     # a city twice the demo's size

Builds a throw-away SQLite database (migrate, the synthetic Beijing's largest district
imported and assessed through usecases.imports), signs a district user in, and times the plan
page's htmx partial (`GET /district/<code>/plan/?amount=…`, HX-Request) in the same run:

* baseline: every request pays the whole plan — the stored run read back, every line priced
  from the district's list, phased and rendered (the priced lines' cache emptied first), which
  is what each budget change would cost if nothing were kept;
* re-plan: the budget changes, the priced lines are reused, only phasing and rendering run.

Prints the medians, their ratio and the pure phasing time. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _setup(folder: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campusplan.settings")
    os.environ["CAMPUSPLAN_ALLOWED_HOSTS"] = "testserver,localhost"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _district(folder: Path, city: int, seed: int) -> tuple[str, int]:
    from campusplan.accounts import audit
    from campusplan.catalog import load_catalog
    from campusplan.demo.beijing import beijing_documents
    from campusplan.usecases.imports import import_files

    docs = beijing_documents(load_catalog(), n=city, seed=seed)
    by: dict[str, list] = {}
    for s in docs["schools"]:
        by.setdefault(s["district"], []).append(s)
    code = max(by, key=lambda c: len(by[c]))
    path = folder / f"{code}.json"
    path.write_text(json.dumps({"schools": by[code], "district_services": [
        d for d in docs["district_services"] if d["district"] == code]}, ensure_ascii=False))
    result = import_files(actor=audit.actor_for(None, "cli", name="plan_bench"), paths=[path])
    if not result.ok:
        sys.exit(f"import failed: {result.problems[:3]}")
    return code, len(by[code])


def _time(get, url: str) -> float:
    t0 = time.perf_counter()
    response = get(url)
    elapsed = time.perf_counter() - t0
    if response.status_code != 200:
        sys.exit(f"{url}: HTTP {response.status_code}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--city", type=int, default=None, help="schools in the synthetic city")
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _setup(folder)
        from django.test import Client

        from campusplan.accounts.models import Profile
        from campusplan.demo.beijing import CITY_TOTAL
        from campusplan.planning.phasing import Budget, phase
        from campusplan.schools.models import District
        from campusplan.usecases import plans

        t0 = time.perf_counter()
        code, n = _district(folder, args.city or CITY_TOTAL, args.seed)
        print(f"district {code}: {n} schools imported and assessed in "
              f"{time.perf_counter() - t0:.1f} s")
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user("bench-district")
        Profile.objects.create(user=user, level="district",
                               district=District.objects.get(code=code))
        client = Client(HTTP_HX_REQUEST="true")
        client.force_login(user)
        url = f"/district/{code}/plan/?basis=year&years=3&per=all&amount="
        _time(client.get, url + "1000000")  # warm: templates, catalog, the first run read

        baseline = []
        for i in range(args.repeat):
            plans._LINES.clear()
            baseline.append(_time(client.get, url + str(2_000_000 + i * 100_000)))
        replan = [_time(client.get, url + str(3_000_000 + i * 100_000))
                  for i in range(args.repeat)]
        lines = next(iter(plans._LINES.values()))[-1]
        t0 = time.perf_counter()
        for i in range(args.repeat):
            phase(lines, Budget(1_000_000 + i, 3, "all"))
        phasing = (time.perf_counter() - t0) / args.repeat

        if os.environ.get("PLAN_BENCH_PROFILE"):
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.runcall(client.get, url + "4321000")
            pstats.Stats(prof).sort_stats("cumulative").print_stats("campusplan|polars|sql", 30)
        b, r = statistics.median(baseline), statistics.median(replan)
        print(f"plan lines: {lines.height:,}")
        print(f"baseline (whole plan per request):  median {b * 1000:7.1f} ms")
        print(f"re-plan (budget changed, htmx):     median {r * 1000:7.1f} ms")
        print(f"phasing alone:                             {phasing * 1000:7.1f} ms")
        print(f"ratio baseline / re-plan: {b / r:.1f}x")


if __name__ == "__main__":
    main()
