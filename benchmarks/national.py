"""The national benchmark: a country's schools in PostgreSQL, a stored run, the pages people open.

    make bench-national                                   # 210,000 schools beside the demo city
    PYTHONPATH=src .venv/bin/python benchmarks/national.py --schools 20000   # a quicker try

For the demo city (1,700 schools, the Beijing mix) and the national size (the national mix),
each in its own fresh database on the PostgreSQL server of `--pg` (created and dropped here):

1. load the synthetic population (campusplan.demo.synthetic, the demo's generator) straight into
   the tables with COPY — a bulk loader, not the import path, which is measured elsewhere —,
   the demo city over Beijing's 16 districts, the national size over `--districts` made-up
   counties (unless told, one per 75 schools: 2,800 for 210,000 — an assumption of the
   benchmark, about a country's count; 16 gives Beijing's, each district then ≈ 13,000
   schools);
2. store a run of every school twice (usecases.runs.assess, as `campusplan assess-stored`
   does): time, the peak memory of the process that ran it (VmHWM: each phase runs in a fresh
   process), and the database's growth per run (pg_database_size, and pg_total_relation_size
   of the assessment tables);
3. open the city dashboard, the largest district's page and a school page as a city user:
   cold (cache emptied, in a process warmed as a server worker is: campusplan/web/warm.py) and
   warm (median of 3), through Django's test client.

Prints the two sizes side by side, measured in the same run. Not part of the test suite, not
in CI: the national size loads this machine for a long while (docs/scale.md has its figures).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSESSMENT_TABLES = ("assessments_resultrow", "assessments_schoolscore", "assessments_assessmentrun")
NOW = "2026-12-01 00:00:00+00"
FACT_CHUNK = 200_000  # rows of schools, rooms or services unpivoted at once
# the benchmark's assumption, not a figure of ../shared/data: 2,800 counties for 210,000 schools
SCHOOLS_PER_COUNTY = 75


def status_kib(field: str) -> int:
    """VmHWM (peak) or VmRSS (now) of this process, KiB: its own, not a parent's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(field)


# --- the phases, each in a fresh process with DATABASE_URL set --------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campusplan.settings")
    import django

    django.setup()


def districts_of(count: int) -> tuple[list[str], list[float], dict[str, str]]:
    """The districts to spread the schools over, their weights and names: Beijing's 16 as they
    are (count 16), or `count` made-up counties ("9" and five digits: no real code looks like
    it), each run of 16 weighted as Beijing's 16 districts are. How many county-level districts
    a country has is the benchmark's parameter (`--districts`), not a figure of ../shared/data;
    what it changes is how large a district's batch, page and figures are."""
    from campusplan.catalog.codes import districts
    from campusplan.demo.beijing import district_weights

    codes, weights = district_weights()
    if count == len(codes):
        names = districts()
        return codes, weights, {c: names[c]["zh"] for c in codes}
    made = [f"9{i:05d}" for i in range(1, count + 1)]
    return made, [weights[i % len(weights)] for i in range(count)], \
        {c: f"县区{c}（模拟）" for c in made}


def phase_load(n: int, mix: str, district_count: int) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    from campusplan.catalog import load_catalog
    from campusplan.demo.synthetic import population

    catalog = load_catalog()
    codes, weights, names = districts_of(district_count)
    t = time.perf_counter()
    frames = population(catalog, n, seed=2022, mix=mix, district_codes=codes,
                        district_weights=weights)
    generated = time.perf_counter() - t
    t = time.perf_counter()
    counts = BulkLoader(frames, names).load()
    return {"generate_s": generated, "load_s": time.perf_counter() - t, **counts,
            "districts": len(codes),
            "db_bytes": _db_bytes(), "peak_kib": status_kib("VmHWM")}


def phase_run() -> dict:
    from campusplan.accounts import audit
    from campusplan.schools.models import School
    from campusplan.usecases import runs

    before, tables = _db_bytes(), _table_bytes()
    base = status_kib("VmRSS")
    t = time.perf_counter()
    schools = list(School.objects.select_related("district").order_by("code"))
    record, _result = runs.assess(actor=audit.actor_for(None, "cli", name="national benchmark"),
                                  schools=schools)
    elapsed = time.perf_counter() - t
    from campusplan.assessments import matrix
    from campusplan.assessments.models import ResultRow

    return {"run_s": elapsed, "rows": record.results, "peak_kib": status_kib("VmHWM"),
            "db_rows": ResultRow.objects.filter(run=record).count(),
            "file_bytes": matrix.path(record.matrix_file).stat().st_size,
            "base_kib": base, "db_growth": _db_bytes() - before,
            "table_growth": _table_bytes() - tables}


def phase_pages() -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client, override_settings

    import campusplan.wsgi  # noqa: F401 — what a server worker loads first: it warms the process
    from campusplan.accounts.models import Profile
    from campusplan.schools.models import District, School

    user, _ = get_user_model().objects.get_or_create(username="bench-city")
    Profile.objects.update_or_create(user=user, defaults={"level": "city", "district": None,
                                                          "school": None, "read_only": False})
    district = District.objects.annotate(n=Count("schools")).order_by("-n").first()
    school = School.objects.filter(district=district).order_by("code").first()
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    # the pages, not the static files: no collectstatic manifest needed
    storages = settings.STORAGES | {"staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages):
        return _pages(client, district, school)


def _pages(client, district, school) -> dict:
    from django.core.cache import cache

    out = {}
    for name, url in (("city", "/city/"), ("district", f"/district/{district.code}/"),
                      ("school", f"/school/{school.code}/")):
        cache.clear()
        cold = _get(client, url)
        warm = statistics.median(_get(client, url) for _ in range(3))
        out[name] = {"cold_ms": cold * 1000, "warm_ms": warm * 1000}
    out["district_schools"] = district.n
    return out


def _get(client, url: str) -> float:
    t = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - t
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return elapsed


def _db_bytes() -> int:
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT pg_database_size(current_database())")
        return c.fetchone()[0]


def _table_bytes() -> int:
    from django.db import connection

    with connection.cursor() as c:
        # a partitioned table's own size is nothing: its partitions hold the rows
        c.execute("SELECT sum(pg_total_relation_size(t.relid)) FROM pg_class c, "
                  "LATERAL pg_partition_tree(c.oid) t WHERE c.relkind IN ('r', 'p') "
                  "AND c.relname = ANY(%s)", [list(ASSESSMENT_TABLES)])
        return c.fetchone()[0] or 0


class BulkLoader:
    """Frames → the schools app's tables with COPY, ids assigned here (a fresh database), the
    rows shaped as the import writes them (schools.services: one FactValue per known value,
    room facts carrying their school)."""

    def __init__(self, frames, district_names: dict[str, str]):
        self.frames, self.names = frames, district_names
        self.codes = list(district_names)

    def load(self) -> dict:
        import polars as pl
        from django.db import connection, transaction

        from campusplan.demo.beijing import district_services
        from campusplan.schools.models import District, FactValue, PurchasedService, Source

        with transaction.atomic(), self._bare(("schools_room", "schools_factvalue")):
            source = Source.objects.create(kind="import", file_name="benchmarks/national.py",
                                           actor="national benchmark")
            made = District.objects.bulk_create(District(code=c, name=name)
                                                for c, name in self.names.items())
            ids = {d.code: d.pk for d in made}
            self.source = source.pk
            schools = self._schools(ids)
            rooms = self.frames.rooms.with_columns(
                (pl.int_range(pl.len(), dtype=pl.Int64) + 1).alias("id"),
                (pl.col("school_idx").cast(pl.Int64) + 1).alias("school_pk"))
            own = self.frames.services.filter(pl.col("service.provided_by") == "school") \
                .with_columns((pl.int_range(pl.len(), dtype=pl.Int64) + 1).alias("id"),
                              (pl.col("school_idx").cast(pl.Int64) + 1).alias("school_pk"))
            self._copy("schools_school", schools)
            self._copy("schools_room", rooms.select(
                "id", "school_pk", pl.col("room_code").alias("code"), "room_type",
                pl.lit("").alias("name")).rename({"school_pk": "school_id"}))
            self._copy("schools_purchasedservice", own.select(
                "id", pl.col("school_pk").alias("school_id"), "category",
                # a school may buy two services of one category: the id keeps names apart
                (pl.col("category") + " 服务 " + pl.col("id").cast(pl.Utf8)).alias("name"), pl.lit("示例服务商").alias("vendor"),
                pl.lit("school").alias("provided_by")))
            values = self._facts(schools.select(pl.col("id").alias("school_id")).hstack(
                self.frames.schools.select(pl.col("^fact\\..*$"))), "fact.", None)
            values += self._facts(rooms.select(
                pl.col("school_pk").alias("school_id"), pl.col("id").alias("room_id"),
                pl.col("^room\\..*$")), "room.", "room_id")
            svc = [c for c in own.columns if c.startswith("service.")
                   and c not in ("service.provided_by", "service.district_provides")]
            values += self._facts(own.select(pl.col("school_pk").alias("school_id"),
                                             pl.col("id").alias("service_id"), *svc),
                                  "service.", "service_id")
            for table in ("schools_school", "schools_room", "schools_purchasedservice"):
                with connection.cursor() as c:
                    c.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT max(id) FROM {table}))")
            # two a district: 32 rows for Beijing, thousands for a country's counties
            docs = district_services(self.codes)
            provided = PurchasedService.objects.bulk_create(PurchasedService(
                district_id=ids[doc["district"]], category=doc["category"], name=doc["name"],
                vendor=doc["vendor"], provided_by="district") for doc in docs)
            facts = []
            for doc, svc_row in zip(docs, provided, strict=True):
                for key in ("vendor_years", "daily_active_users", "purchase_unit", "unit_price"):
                    fv = FactValue(service=svc_row, key=key, source_id=source.pk)
                    fv.set_value(doc[key])
                    facts.append(fv)
            FactValue.objects.bulk_create(facts, batch_size=5_000)
        with connection.cursor() as c:
            c.execute("ANALYZE")
        return {"schools": schools.height, "rooms": rooms.height, "fact_values": values}

    @staticmethod
    @contextlib.contextmanager
    def _bare(tables: tuple[str, ...]):
        """These tables without their secondary indexes and foreign keys while they are
        loaded, both made again afterwards: a B-tree built once from sorted rows and a key
        checked by one join, instead of every row inserted into four indexes and checked four
        times at commit (Django's keys are deferred) — the country's ≈ 80 M fact values."""
        from django.db import connection

        with connection.cursor() as c:
            c.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                      "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text "
                      "= ANY(%s)", [list(tables)])
            keys = c.fetchall()
            c.execute("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                      "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s) "
                      "AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = "
                      "i.indexrelid)", [list(tables)])  # a constraint's index stays with it
            indexes = c.fetchall()
            for table, name, _ in keys:
                c.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _ in indexes:
                c.execute(f'DROP INDEX "{name}"')
        yield
        with connection.cursor() as c:
            c.execute("SET LOCAL maintenance_work_mem = '1GB'")
            for _, definition in indexes:
                c.execute(definition)
            # the other tables' deferred checks first: a table with pending checks cannot be
            # altered, and a foreign key alters the table it refers to
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, name, definition in keys:
                c.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            c.execute("SET CONSTRAINTS ALL DEFERRED")

    def _schools(self, district_ids: dict):
        import polars as pl

        s = self.frames.schools
        stage = []
        for st in ("primary", "junior", "senior"):
            for k in ("classes", "students", "max_class_size"):
                stage.append(pl.when(pl.col(f"school.has_{st}"))
                             .then(pl.col(f"stage.{st}.{k}")).cast(pl.Int64).alias(f"{st}_{k}"))
        phase = pl.col("school.smart_phase").cast(pl.Utf8)
        since = pl.when(phase != "none").then(
            (2026 - pl.col("school.smart_phase_years").fill_null(0).cast(pl.Int64))
            .cast(pl.Utf8) + "-09-01")
        return s.select(
            (pl.int_range(pl.len(), dtype=pl.Int64) + 1).alias("id"),
            pl.col("school_id").alias("code"), pl.col("name"),
            pl.col("district").replace_strict(district_ids, return_dtype=pl.Int64)
            .alias("district_id"),
            pl.col("school.type").cast(pl.Utf8).alias("school_type"),
            pl.col("school.teachers").cast(pl.Int64).alias("teachers"),
            pl.when(phase == "none").then(pl.lit("")).otherwise(phase).alias("smart_phase"),
            since.alias("smart_phase_since"),
            pl.col("school.approved_data_center").fill_null(False).alias("approved_data_center"),
            pl.col("rooms_inventoried").fill_null(False), pl.col("services_inventoried")
            .fill_null(False), pl.lit(self.source).alias("profile_source_id"),
            pl.lit(NOW).alias("updated_at"), pl.lit(0).alias("version"), *stage)

    def _facts(self, frame, prefix: str, owner: str | None) -> int:
        """One FactValue per known value: numbers, flags and texts unpivoted apart (a column
        has one type), written with COPY in chunks."""
        import polars as pl

        index = ["school_id"] + ([owner] if owner else [])
        kinds = {"num": [], "flag": [], "text": []}
        for name, dtype in frame.schema.items():
            if name in index:
                continue
            kind = "flag" if dtype == pl.Boolean else "num" if dtype.is_numeric() else "text"
            kinds[kind].append(name)
        total = 0
        for (kind, cols), start in itertools.product(kinds.items(),
                                                     range(0, frame.height, FACT_CHUNK)):
            if not cols:
                continue
            cast = pl.Float64 if kind == "num" else pl.Boolean if kind == "flag" else pl.Utf8
            # unpivoted a slice at a time: the country's values at once would be ≈ 80 M rows
            long = frame.slice(start, FACT_CHUNK).select(
                *index, *(pl.col(c).cast(cast) for c in cols)).unpivot(
                index=index, on=cols, variable_name="key", value_name=kind).drop_nulls(kind)
            rows = long.select(
                "school_id",
                pl.col(owner) if owner == "room_id" else pl.lit(None, pl.Int64).alias("room_id"),
                pl.col(owner) if owner == "service_id" else pl.lit(None, pl.Int64)
                .alias("service_id"),
                pl.col("key").str.strip_prefix(prefix),
                *(pl.col(k) if k == kind else pl.lit(None, t).alias(k) for k, t in (
                    ("num", pl.Float64), ("flag", pl.Boolean), ("text", pl.Utf8))),
                pl.lit(self.source).alias("source_id"), pl.lit("").alias("sheet"),
                pl.lit(None, pl.Int64).alias("row"), pl.lit("").alias("column"),
                pl.lit("").alias("path"), pl.lit("").alias("derived_from"),
                pl.lit(NOW).alias("recorded_at"))
            self._copy("schools_factvalue", rows,
                       not_null=("sheet", "column", "path", "derived_from"))
            total += rows.height
        return total

    @staticmethod
    def _copy(table: str, frame, not_null: tuple[str, ...] = (), chunk: int = 1_000_000) -> None:
        from django.db import connection

        qn = connection.ops.quote_name
        columns = ", ".join(qn(c) for c in frame.columns)
        force = f", FORCE_NOT_NULL ({', '.join(qn(c) for c in not_null)})" if not_null else ""
        with connection.cursor() as c:
            for start in range(0, frame.height, chunk):
                buf = io.BytesIO()
                frame.slice(start, chunk).write_csv(buf, include_header=False, null_value="")
                with c.cursor.copy(f"COPY {table} ({columns}) FROM STDIN "
                                   f"WITH (FORMAT csv{force})") as cp:
                    cp.write(buf.getvalue())


# --- the driver ------------------------------------------------------------------------------


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{url}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _phase(url: str, *args: str) -> dict:
    env = os.environ | {"DATABASE_URL": url, "CAMPUSPLAN_DEBUG": "0", "CAMPUSPLAN_HTTPS": "0",
                        "CAMPUSPLAN_SECRET_KEY": "national-benchmark-only",
                        "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, __file__, "--phase", *args], env=env,
                         capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"phase {' '.join(args)} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(pg: str, n: int, mix: str, district_count: int, keep: bool) -> dict:
    db = f"cp_bench_national_{n}"
    _admin(pg, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    _admin(pg, f'CREATE DATABASE "{db}"')
    url = f"{pg}/{db}"
    try:
        out = {"load": _phase(url, "load", str(n), mix, str(district_count))}
        out["run1"] = _phase(url, "run")
        out["run2"] = _phase(url, "run")
        out["pages"] = _phase(url, "pages")
        return out
    finally:
        if not keep:
            _admin(pg, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def _mb(b: float) -> str:
    return f"{b / 2**20:,.0f} MiB"


def report(demo: dict, big: dict, n_demo: int, n_big: int) -> None:
    rows = [
        ("schools", lambda m: f"{m['load']['schools']:,}"),
        ("districts", lambda m: f"{m['load']['districts']:,}"),
        ("rooms / fact values", lambda m: f"{m['load']['rooms']:,} / {m['load']['fact_values']:,}"),
        ("bulk load (COPY)", lambda m: f"{m['load']['load_s']:.1f} s"),
        ("database after load", lambda m: _mb(m["load"]["db_bytes"])),
        ("stored run, first", lambda m: f"{m['run1']['run_s']:.1f} s"),
        ("stored run, second", lambda m: f"{m['run2']['run_s']:.1f} s"),
        ("result rows per run", lambda m: f"{m['run1']['rows']:,}"),
        ("of them in the database", lambda m: f"{m['run1']['db_rows']:,}"),
        ("the run's Parquet file", lambda m: _mb(m["run1"]["file_bytes"])),
        ("peak memory, 1st / 2nd run", lambda m: f"{m['run1']['peak_kib'] / 2**20:.2f} / "
         f"{m['run2']['peak_kib'] / 2**20:.2f} GiB"),
        ("db growth, first run", lambda m: _mb(m["run1"]["db_growth"])),
        ("db growth, second run", lambda m: _mb(m["run2"]["db_growth"])),
        ("assessment tables, +2nd", lambda m: _mb(m["run2"]["table_growth"])),
        *((f"{page} page cold / warm", lambda m, p=page:
           f"{m['pages'][p]['cold_ms']:.0f} / {m['pages'][p]['warm_ms']:.0f} ms")
          for page in ("city", "district", "school")),
        ("schools in that district", lambda m: f"{m['pages']['district_schools']:,}"),
    ]
    w = 26
    print(f"{'':<{w}} {'demo city (' + format(n_demo, ',') + ')':>24} "
          f"{'national (' + format(n_big, ',') + ')':>26}")
    for label, fmt in rows:
        print(f"{label:<{w}} {fmt(demo):>24} {fmt(big):>26}")
    print(f"time per school, stored run: ×{(big['run1']['run_s'] / n_big) / (demo['run1']['run_s'] / n_demo):.2f} "
          f"at national size vs the demo city")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--phase":
        _django()
        kind = sys.argv[2]
        out = phase_load(int(sys.argv[3]), sys.argv[4], int(sys.argv[5])) if kind == "load" else \
            phase_run() if kind == "run" else phase_pages()
        print(json.dumps(out, default=float))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--schools", type=int, default=210_000)
    ap.add_argument("--demo", type=int, default=1_700)
    ap.add_argument("--pg", default=os.environ.get("CAMPUSPLAN_BENCH_PG",
                                                   "postgres://postgres@127.0.0.1:5432"),
                    help="the PostgreSQL server (no database name): one is created per size")
    ap.add_argument("--districts", type=int, default=None,
                    help="county-level districts the national size is spread over (default: "
                         f"one per {SCHOOLS_PER_COUNTY} schools, 2,800 for 210,000 — an "
                         "assumption of the benchmark, about a country's; 16: Beijing's, as the "
                         "demo city always is)")
    ap.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = ap.parse_args()
    t = time.perf_counter()
    demo = measure(args.pg, args.demo, "beijing", 16, args.keep)
    counties = args.districts or max(16, round(args.schools / SCHOOLS_PER_COUNTY))
    big = measure(args.pg, args.schools, "national", counties, args.keep)
    report(demo, big, args.demo, args.schools)
    print(f"(benchmark took {time.perf_counter() - t:.0f} s)")


if __name__ == "__main__":
    main()
