"""No lost edits under concurrency: two imports of one district and two fact saves on one school
at the same time (real threads, each with its own database connection; SQLite and PostgreSQL).

Either both writes apply one after the other (the audit "before" of the second is the "after" of
the first), or the second is refused with the conflicting cells — never a silent overwrite.
"""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection

from campusplan.accounts.models import AuditEntry
from campusplan.accounts.versions import FIRST_VALUES, field_history
from campusplan.schools.models import School
from campusplan.usecases import exports
from campusplan.usecases.facts import FactConflict, set_fact
from campusplan.usecases.imports import import_files
from tests import factories
from tests.actors import operator

pytestmark = pytest.mark.django_db(transaction=True)

DISTRICT, A, B = "110108", "1101089901", "1101089902"


@pytest.fixture
def district(tmp_path):
    docs = [factories.school_doc(example="small-primary.json", code=code, name=f"学校{code}",
                                 teachers=10) for code in (A, B)]
    factories.stored(paths=[factories.write_file(path=tmp_path / "d.json", schools=docs)])
    return tmp_path


def _together(*jobs):
    """Run the callables at once in threads (each on its own connection); their outcomes."""
    barrier, out = threading.Barrier(len(jobs)), [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            out[i] = job()
        except Exception as exc:  # the outcome under test (a conflict) or a failure to show
            out[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return out


def _chains(code: str, field: str) -> list[tuple]:
    """The audit trail of one value, oldest first, checked to chain: each before = the after
    of the one before it."""
    rows = list(AuditEntry.objects.filter(school__code=code, field=field)
                .order_by("id").values_list("before", "after", "school_version"))
    for (_b, after, _v), (before, _a, _w) in zip(rows, rows[1:], strict=False):
        assert before == after, rows
    versions = [v for *_x, v in rows]
    assert versions == sorted(set(versions)), rows  # every write its own version
    return rows


def _export(path, teachers: dict[str, int]):
    """The district's export (made now, with the versions), with teachers changed."""
    exports.export(actor=operator(), path=path, district=DISTRICT, with_results=False)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert {k for k in data["meta"] if k.startswith("version.")} == {f"version.{A}",
                                                                     f"version.{B}"}
    for doc in data["schools"]:
        doc["teachers"] = teachers.get(doc["code"], doc["teachers"])
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_two_imports_of_one_workbook_version_conflict_not_overwrite(district):
    one = _export(district / "one.json", {A: 20, B: 21})
    two = _export(district / "two.json", {A: 30})
    r1, r2 = _together(lambda: import_files(actor=operator("one"), paths=[one]),
                       lambda: import_files(actor=operator("two"), paths=[two]))
    assert not isinstance(r1, Exception) and not isinstance(r2, Exception), (r1, r2)
    applied = [r for r in (r1, r2) if r.written]
    refused = [r for r in (r1, r2) if not r.written]
    assert len(applied) == 1 and len(refused) == 1, (r1, r2)
    # the loser's file would revert every cell the winner wrote: those, and only those
    reverted = {f"{A}:teachers", f"{B}:teachers"} if refused[0] is r2 else {f"{A}:teachers"}
    assert {c.id for c in refused[0].unresolved} == reverted
    teachers = School.objects.get(code=A).teachers
    assert teachers == (20 if applied[0] is r1 else 30)
    conflict = next(c for c in refused[0].unresolved if c.id == f"{A}:teachers")
    assert (conflict.then, conflict.change.old) == (10, teachers)
    assert [(b, a) for b, a, _v in _chains(A, "teachers")] == [(None, 10), (10, teachers)]
    # the refused file is applied only as its user chooses, per conflict
    loser, wanted = (two, 30) if refused[0] is r2 else (one, 20)
    choices = {c.id: "file" for c in refused[0].unresolved} | {f"{B}:teachers": "stored"}
    again = import_files(actor=operator("again"), paths=[loser], choices=choices)
    assert again.written and School.objects.get(code=A).teachers == wanted
    assert [a for _b, a, _v in _chains(A, "teachers")][-1] == wanted
    # B is 21 either way: "one" wrote it first (kept by the choice), or writes it now
    assert School.objects.get(code=B).teachers == 21


def test_two_imports_without_versions_serialise_and_chain(district):
    files = []
    for n in (20, 30):
        doc = factories.school_doc(example="small-primary.json", code=A, name=f"学校{A}",
                                   teachers=n)
        files.append(factories.write_file(path=district / f"{n}.json", schools=[doc]))
    results = _together(*[lambda f=f: import_files(actor=operator(), paths=[f])
                          for f in files])
    assert all(not isinstance(r, Exception) and r.written for r in results), results
    rows = _chains(A, "teachers")  # stored at 10, then both files, one after the other
    assert len(rows) == 3 and rows[1][0] == 10
    assert School.objects.get(code=A).teachers == rows[-1][1]


KEY = "teacher_computers_total"


def test_two_fact_saves_from_one_form_version_conflict(district):
    school = School.objects.get(code=A)
    version = school.version
    outcomes = _together(
        lambda: set_fact(actor=operator("one"), school=school, key=KEY, value=21,
                         version=version),
        lambda: set_fact(actor=operator("two"), school=school, key=KEY, value=22,
                         version=version))
    conflicts = [o for o in outcomes if isinstance(o, FactConflict)]
    saved = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(conflicts) == 1 and len(saved) == 1, outcomes
    assert [c.id for c in conflicts[0].conflicts] == [f"{A}:fact.{KEY}"]
    rows = _chains(A, f"fact.{KEY}")  # the import's first value is its first-values row
    assert len(rows) == 1 and rows[0][1] == saved[0].changes[0].new
    assert conflicts[0].version == School.objects.get(code=A).version


def test_two_fact_saves_without_a_version_serialise_and_chain(district):
    school = School.objects.get(code=A)
    outcomes = _together(
        lambda: set_fact(actor=operator(), school=school, key=KEY, value=21),
        lambda: set_fact(actor=operator(), school=school, key=KEY, value=22))
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    rows = _chains(A, f"fact.{KEY}")
    assert len(rows) == 2 and rows[0][0] == 15  # the first value: the import's first-values row
    assert AuditEntry.objects.filter(field_history(f"fact.{KEY}"), school__code=A,
                                     field=FIRST_VALUES).count() == 1
