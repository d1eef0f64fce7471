"""One fact edit on the school page, end to end, beside a plain GET of the same page (not run
by the test suite).

    python -m campusplan demo                       # once, into the database measured
    python benchmarks/edit_bench.py                 # the demo in DATABASE_URL / CAMPUSPLAN_VAR_DIR
    python benchmarks/edit_bench.py --profile       # and the edit's cProfile, by own time

With Django's test client, as the demo's school user (demo-school), in one process: `--rounds`
times a GET of the school page then a POST of one fact (`video_retention_days`, alternating
between two values so every edit changes the value: validated, written, audited, the school
re-assessed and the run stored — web/views_school.fact_edit → usecases.facts.set_fact →
usecases.runs.assess). Prints the medians and the edit / GET ratio: on a shared machine the
ratio moves less than the figures. Every edit is a real, audited change to the database: use a
copy of the demo.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time

KEY = "video_retention_days"
VALUES = ("90", "91")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--user", default="demo-school")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campusplan.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from campusplan.accounts.scope import visible_schools

    settings.ALLOWED_HOSTS = ["*"]
    user = get_user_model().objects.get(username=args.user)
    school = visible_schools(user).order_by("code").first()
    client = Client()
    client.force_login(user)
    page, edit = f"/school/{school.code}/", f"/school/{school.code}/facts/{KEY}/"
    hx = {"HX-Request": "true"}

    edits_made = iter(range(10**6))

    def post() -> None:  # the other value each time, so that every edit changes the value
        value = VALUES[next(edits_made) % 2]
        response = client.post(edit, {"value": value}, headers=hx)
        assert response.status_code == 200, response.status_code

    for _ in VALUES:  # the first requests' one-time costs (catalog, caches, connection)
        assert client.get(page).status_code == 200
        post()
    gets, edits, get_cpu, edit_cpu = [], [], [], []
    for _ in range(args.rounds):
        t, c = time.perf_counter(), time.process_time()
        assert client.get(page).status_code == 200
        gets.append(time.perf_counter() - t)
        get_cpu.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        post()
        edits.append(time.perf_counter() - t)
        edit_cpu.append(time.process_time() - c)
    get_ms, edit_ms, get_c, edit_c = (statistics.median(x) * 1000
                                      for x in (gets, edits, get_cpu, edit_cpu))
    # CPU seconds of this process (the database is SQLite's, in it): steadier on a shared machine
    print(f"school {school.code}, {args.rounds} rounds, load {os.getloadavg()[0]:.2f}")
    print(f"GET  {page}: median {get_ms:.0f} ms (min {min(gets) * 1000:.0f}), "
          f"CPU {get_c:.0f} ms")
    print(f"edit {edit}: median {edit_ms:.0f} ms (min {min(edits) * 1000:.0f}), "
          f"CPU {edit_c:.0f} ms; {edit_ms / get_ms:.2f}× the GET (CPU {edit_c / get_c:.2f}×)")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(3):
            post()
        prof.disable()
        stats = pstats.Stats(prof).sort_stats("cumulative")
        stats.sort_stats(os.environ.get("SORT", "cumulative")).print_stats(45)
        stats.print_callees(os.environ.get("CALLEES", "fact_edit|_import_one|runs.py.*assess"))


if __name__ == "__main__":
    main()
