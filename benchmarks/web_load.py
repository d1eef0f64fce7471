"""Web load test: p50/p95/p99 of the school, district and city pages, and of the list pages
(schools and results, filtered, sorted, paged) and the header's search, at 20 concurrent users.

    make bench-web        # loads the demo if the database is empty, then measures
    python benchmarks/web_load.py --schools 3020 --only lists   # 海淀 with ≈300 schools

`--schools` is passed to `campusplan demo` for an empty database: 3,020 schools give 海淀 (169
of the demo's 1,700) about 300, the district size the list pages' target is set for.

A production server (gunicorn, 4 threads × 2 workers on this 2-core machine) serves the demo
database (SQLite by default, `DATABASE_URL` for PostgreSQL) on loopback; `wrk` (Debian) drives
20 connections for each page as its own logged-in user, and a small Lua script reports the
latency percentiles and any non-2xx response. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin" if (ROOT / ".venv").exists() else Path(sys.executable).parent
TARGETS_MS = {"school": 150, "district": 250, "city": 400}
LIST_TARGET_MS = 150  # every list page, for a 300-school district
LUA = """
local errors = 0
response = function(status, headers, body)
  if status < 200 or status > 299 then errors = errors + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.1f %.1f %.1f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def login(base: str, username: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": username, "password": password,
                                   "csrfmiddlewaretoken": token}).encode()
    req = urllib.request.Request(f"{base}/accounts/login/", data=data,
                                 headers={"Referer": f"{base}/accounts/login/"})
    opener.open(req)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def wait_for(base: str, seconds: float = 180) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=1)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("server did not start")


def measure(url: str, cookie: str, seconds: int, script: Path) -> dict:
    out = subprocess.run(["wrk", "-t2", "-c20", f"-d{seconds}s", "--timeout", "5s", "-s",
                          str(script), "-H", f"Cookie: {cookie}", url],
                         check=True, capture_output=True, text=True).stdout
    fields = re.search(r"RESULT (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", out).groups()
    n, socket_errors, http_errors = map(int, fields[:3])
    p50, p95, p99 = map(float, fields[3:])
    return {"requests": n, "errors": socket_errors + http_errors, "p50": p50, "p95": p95,
            "p99": p99}


def pages(base: str) -> dict[str, tuple[str, str, str]]:
    """page → (url, user, password), from the demo users `campusplan demo` prints."""
    from campusplan.cli.demo import USERS

    creds = {u[0]: u[4] for u in USERS}
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campusplan.settings")
    import django

    django.setup()
    from campusplan.accounts.models import Profile

    school = Profile.objects.get(user__username="demo-school").school.code
    district = ("demo-haidian", creds["demo-haidian"])
    out = {"school": (f"{base}/school/{school}/", "demo-school", creds["demo-school"]),
           "district": (f"{base}/district/110108/", *district),
           "city": (f"{base}/city/", "demo-city", creds["demo-city"])}
    # the list pages as the 海淀 officer uses them: whole list, filtered, sorted, a later page
    failing = worst_requirement("110108")
    for name, path in LISTS.items():
        out[name] = (f"{base}{path.format(req=failing)}", *district)
    return out


LISTS = {
    "schools": "/lists/schools/",
    "schools-failing": "/lists/schools/?failing_requirement={req}",
    "schools-filtered": "/lists/schools/?status=gap&rate_from=50&rate_to=90&ordering=-students",
    "schools-sorted": "/lists/schools/?ordering=-rate&per_page=100&page=2",
    "results": "/lists/results/?status=failing&level=required",
    "results-sorted": "/lists/results/?item=5&ordering=-shortfall&page=3",
    "search": "/search/?q=" + urllib.parse.quote("示例小学"),
}


def worst_requirement(district: str) -> str:
    from django.db.models import Count

    from campusplan.assessments.models import ResultRow

    row = (ResultRow.objects.filter(current=True, school__district__code=district,
                                    status__in=("gap", "violation"), level="required")
           .values("requirement_id").annotate(n=Count("id")).order_by("-n").first())
    return row["requirement_id"] if row else "1-1"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--schools", type=int, default=1700, help="demo size for an empty database")
    ap.add_argument("--only", choices=("all", "pages", "lists"), default="all")
    args = ap.parse_args()
    subprocess.run([sys.executable, "-m", "campusplan.cli", "demo", "--schools",
                    str(args.schools)], check=True, capture_output=True)
    base = f"http://127.0.0.1:{args.port}"
    print(f"database {os.environ.get('DATABASE_URL', 'SQLite (default)').split('@')[-1]}")
    server = subprocess.Popen([str(BIN / "gunicorn"), "campusplan.wsgi", "-b",
                               f"127.0.0.1:{args.port}", "-w", "2", "--threads", "4",
                               "--log-level", "warning"], cwd=ROOT,
                              env=os.environ | {"CAMPUSPLAN_DEBUG": "0",
                                                "CAMPUSPLAN_SECRET_KEY": "load-test-only",
                                                "CAMPUSPLAN_HTTPS": "0"})
    failed, baseline = False, 0.0
    try:
        wait_for(base)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
            fh.write(LUA)
        for name, (url, user, password) in pages(base).items():
            is_list = name not in TARGETS_MS
            # the district dashboard is the same run's baseline of the lists (rule: ratios)
            if args.only != "all" and is_list != (args.only == "lists") and name != "district":
                continue
            target = LIST_TARGET_MS if is_list else TARGETS_MS[name]
            cookie = login(base, user, password)
            urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie}))
            r = measure(url, cookie, args.seconds, Path(fh.name))
            ok = r["requests"] > 0 and r["errors"] == 0 and r["p95"] < target
            failed |= not ok
            print(f"{name:16} {r['requests']:6} requests  errors {r['errors']}  "
                  f"p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
                  f"(target p95 < {target} ms: {'met' if ok else 'MISSED'})"
                  + (f"  ×{r['p95'] / baseline:.2f} of the district page" if is_list and baseline
                     else ""))
            if name == "district":
                baseline = r["p95"]
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
