"""A large run reads its schools' facts from their districts' snapshots where those hold the
school's current version, and from the fact table otherwise: the frames are the fact table's
after writes through every door, after a rolled-back run, and under a changed dictionary."""

import dataclasses
import datetime as dt
import io
import json

import polars as pl
import pytest
from django.db import connection, transaction
from django.db.models import F
from polars.testing import assert_frame_equal

from campusplan.catalog.schema import FactType
from campusplan.demo.beijing import beijing_documents
from campusplan.schools import frames, snapshots
from campusplan.schools.frames import stored_frames
from campusplan.schools.models import District, FactSnapshot, Room, School
from campusplan.schools.selectors import school_list
from campusplan.usecases.bulk import set_fact_many
from campusplan.usecases.facts import clear_fact, set_fact
from campusplan.usecases.imports import import_files
from tests.actors import operator

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


@pytest.fixture
def read(monkeypatch):
    """The school ids each call read from the fact table."""
    calls: list[set[int]] = []
    real = snapshots.read_pivoted

    def spy(ids, catalog, version):
        calls.append(set(ids))
        return real(ids, catalog, version)

    monkeypatch.setattr(snapshots, "read_pivoted", spy)
    return calls


@pytest.fixture
def documents(catalog):
    return beijing_documents(catalog, n=40, seed=11)


@pytest.fixture
def city(tmp_path, documents):
    path = tmp_path / "city.json"
    path.write_text(json.dumps(documents, ensure_ascii=False), encoding="utf-8")
    assert import_files(actor=operator("test"), paths=[path]).ok
    return list(school_list())


def _frames(schools, catalog):
    """A run's frames on the large path, the one that reads snapshots (the 40 schools' own
    writes re-assess one school at a time, on the small path, and leave the snapshots)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(frames, "SMALL", 0)
        return stored_frames(schools=schools, catalog=catalog, as_of=DAY)


def _from_table(schools, catalog):
    """The frames as the fact table gives them, whatever the snapshots hold (kept as they
    were)."""
    kept = list(FactSnapshot.objects.all())
    FactSnapshot.objects.all().delete()
    try:
        return _frames(schools, catalog)
    finally:
        FactSnapshot.objects.all().delete()
        FactSnapshot.objects.bulk_create(kept)


def _same(schools, catalog):
    direct = _frames(schools, catalog)
    expected = _from_table(schools, catalog)
    for name in ("schools", "rooms", "services", "devices"):
        assert_frame_equal(getattr(direct, name), getattr(expected, name))


def _held(school) -> int:
    """The version of the school its district's snapshot holds."""
    blob = FactSnapshot.objects.get(district_id=school.district_id).schools
    frame = pl.read_ipc(io.BytesIO(bytes(blob)))
    return frame.filter(owner=school.pk)["version"].item()


def _reload(schools):
    return list(School.objects.select_related("district").filter(
        pk__in=[s.pk for s in schools]).order_by("code"))


def test_a_second_run_reads_no_fact_of_an_unchanged_school(city, catalog, read):
    assert not FactSnapshot.objects.exists()  # the import's run of 40 took the small path
    first = _frames(city, catalog)
    assert read == [{s.pk for s in city}]
    assert FactSnapshot.objects.count() == len({s.district_id for s in city})
    second = _frames(city, catalog)
    assert read[1:] == [set()]
    for name in ("schools", "rooms", "services", "devices"):
        assert_frame_equal(getattr(second, name), getattr(first, name))
    assert first.rooms.height > 500


def test_writes_through_every_door_are_read_again(city, catalog, read):
    _frames(city, catalog)
    one, two, three = city[0], city[5], city[9]
    room = Room.objects.filter(school=two).order_by("code").first()
    actor = operator("test")
    set_fact(actor=actor, school=one, key="video_retention_days", value=3)
    set_fact(actor=actor, school=two, key="info_points", value=77, room=room)
    set_fact_many(actor=actor, key="student_computers_total", value=12345,
                  schools=[three.code])
    clear_fact(actor=actor, school=one, key="student_computers_total")
    read.clear()
    schools = _reload(city)
    _same(schools, catalog)
    assert read[0] == {one.pk, two.pk, three.pk}  # the snapshot's run, then the table's
    frame = _frames(schools, catalog)
    assert read[-1] == set()
    values = dict(zip(frame.schools["school_id"], frame.schools["fact.video_retention_days"],
                      strict=True))
    assert values[one.code] == 3
    rooms = frame.rooms.filter(school_id=two.code, room_code=room.code)
    assert rooms["room.info_points"].to_list() == [77]


def test_an_import_that_adds_rooms_is_read_again(city, documents, catalog, read, tmp_path):
    _frames(city, catalog)
    doc = next(d for d in documents["schools"] if d["code"] == city[3].code)
    doc["rooms"].append({"code": "NEW-1", "type": "ordinary_classroom", "info_points": 4})
    path = tmp_path / "one.json"
    path.write_text(json.dumps(documents, ensure_ascii=False), encoding="utf-8")
    result = import_files(actor=operator("test"), paths=[path])
    assert result.ok, result.report.problems
    read.clear()
    schools = _reload(city)
    _same(schools, catalog)
    assert read[0] == {city[3].pk}
    frame = _frames(schools, catalog)
    assert "NEW-1" in frame.rooms.filter(school_id=city[3].code)["room_code"].to_list()


def test_a_rolled_back_run_keeps_no_snapshot_of_its_data(city, catalog):
    """A version is reused after a rollback: a snapshot of the rolled-back data must not
    survive to stand for a later write of the same version."""
    _frames(city, catalog)
    school = city[2]
    with pytest.raises(RuntimeError), transaction.atomic():
        set_fact(actor=operator("test"), school=school, key="video_retention_days", value=1)
        _frames(_reload(city), catalog)
        raise RuntimeError("rolled back")
    set_fact(actor=operator("test"), school=school, key="video_retention_days", value=2)
    frame = _frames(_reload(city), catalog)
    values = dict(zip(frame.schools["school_id"], frame.schools["fact.video_retention_days"],
                      strict=True))
    assert values[school.code] == 2
    _same(_reload(city), catalog)


def test_a_school_that_moved_is_read_once(city, catalog, read):
    _frames(city, catalog)
    school = city[0]
    other = District.objects.exclude(pk=school.district_id).order_by("pk").first() or \
        District.objects.create(code="110119", name="延庆区")
    # what an import of its new district does: moved, its version bumped
    School.objects.filter(pk=school.pk).update(district=other, version=F("version") + 1)
    read.clear()
    schools = _reload(city)
    frame = _frames(schools, catalog)
    assert read == [{school.pk}]
    assert frame.schools.height == len(city)
    assert frame.schools["school_id"].is_unique().all()
    _same(schools, catalog)


def test_another_dictionary_reads_everything_again(city, catalog, read, monkeypatch):
    _frames(city, catalog)
    key = snapshots.snapshot_key(catalog)
    monkeypatch.setattr(snapshots, "FORMAT", "test")
    assert snapshots.snapshot_key(catalog) != key
    read.clear()
    _frames(city, catalog)
    assert read == [{s.pk for s in city}]
    assert set(FactSnapshot.objects.values_list("key", flat=True)) == {
        snapshots.snapshot_key(catalog)}


def test_a_changed_fact_type_changes_the_key(catalog):
    facts = catalog.facts.facts
    first = next(i for i, f in enumerate(facts) if f.type.value == "int")
    retyped = [*facts]
    retyped[first] = facts[first].model_copy(update={"type": FactType.float})
    changed = dataclasses.replace(catalog, facts=catalog.facts.model_copy(
        update={"facts": retyped}))
    assert snapshots.snapshot_key(changed) != snapshots.snapshot_key(catalog)


def test_a_district_locked_by_another_run_is_left_to_it(city, catalog, read):
    """On PostgreSQL a run that cannot take a district's lock at once leaves its snapshot to
    the transaction holding it, and never waits (SQLite has one writer: there the lock is
    always this run's)."""
    school = city[1]
    mine = {s.pk for s in city if s.district_id == school.district_id}
    pg = connection.vendor == "postgresql"
    other = connection.copy()
    if pg:
        other.connect()
        with other.cursor() as c:
            c.execute("SELECT pg_advisory_lock(%s, %s)",
                      [snapshots.LOCK_SPACE, school.district_id])
    try:
        _same(city, catalog)
        held = FactSnapshot.objects.filter(district_id=school.district_id).exists()
        assert held == (not pg)
    finally:
        other.close()
    read.clear()
    _frames(city, catalog)
    assert read == [mine if pg else set()]
    assert _held(school) == school.version
    read.clear()
    _frames(city, catalog)
    assert read == [set()]
