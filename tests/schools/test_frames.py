"""A stored run's frames, built from the tables, equal the frames of the same schools' typed
documents — column for column, row for row — and so the results do too."""

import datetime as dt
import json

import pytest
from polars.testing import assert_frame_equal

from campusplan.demo.beijing import beijing_documents
from campusplan.engine.assessment import assess_frames, run
from campusplan.engine.frames import from_inputs
from campusplan.schools import frames
from campusplan.schools.frames import stored_frames
from campusplan.schools.selectors import school_list, schools_as_inputs
from campusplan.usecases.imports import import_files
from tests.actors import operator
from tests.exchange.helpers import EXAMPLES

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


def _import(paths) -> None:
    result = import_files(actor=operator("test"), paths=paths)
    assert result.ok, result


@pytest.fixture(params=["polars", "python"], autouse=True)
def pivot(request, monkeypatch):
    """Both ways of pivoting the stored values: Polars' (many schools) and Python's (a few)."""
    monkeypatch.setattr(frames, "SMALL", 0 if request.param == "polars" else 10_000)
    return request.param


@pytest.fixture
def city(tmp_path, catalog):
    """A generated city of 60 schools (rooms, services, district services) and the example
    files (unknowns, a school without an inventory, devices)."""
    path = tmp_path / "city.json"
    path.write_text(json.dumps(beijing_documents(catalog, n=60, seed=7), ensure_ascii=False),
                    encoding="utf-8")
    _import([path, *sorted(EXAMPLES.glob("*.json"))])
    return list(school_list())


def test_stored_frames_equal_the_documents_frames(city, catalog):
    via_documents = from_inputs(schools_as_inputs(schools=city, catalog=catalog), catalog, DAY)
    direct = stored_frames(schools=city, catalog=catalog, as_of=DAY)
    assert direct.schools.height == len(city) and direct.rooms.height > 1000
    assert direct.services.height > 0
    for name in ("schools", "rooms", "services", "devices"):
        assert_frame_equal(getattr(direct, name), getattr(via_documents, name))


def test_stored_frames_judge_like_the_documents(city, catalog):
    via_documents = run(catalog, schools_as_inputs(schools=city, catalog=catalog), DAY)
    direct = assess_frames(catalog, stored_frames(schools=city, catalog=catalog, as_of=DAY))
    assert_frame_equal(direct.annotated, via_documents.annotated)


def test_a_school_subset_keeps_its_order(city, catalog):
    some = city[::-3]
    direct = stored_frames(schools=some, catalog=catalog, as_of=DAY)
    assert direct.schools["school_id"].to_list() == [s.code for s in some]
    via_documents = from_inputs(schools_as_inputs(schools=some, catalog=catalog), catalog, DAY)
    assert_frame_equal(direct.rooms, via_documents.rooms)
