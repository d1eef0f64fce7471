"""`__among` (schools/lookups.py): the same rows as `__in`, with the ids sent as one parameter,
so a list longer than SQLite's cap on a statement's placeholders (32,766) still works."""

from __future__ import annotations

import pytest
from django.db import connection

from campusplan.schools.models import FactValue, Room, School
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(catalog):
    factories.stored(paths=factories.example_files())
    stored = list(School.objects.order_by("pk"))
    assert len(stored) >= 3 and Room.objects.exists()
    return stored


def test_among_selects_what_in_selects(stored):
    ids = [s.pk for s in stored]
    for model, field in ((School, "pk"), (Room, "school_id"), (FactValue, "school_id"),
                         (Room, "school")):
        for chosen in (ids, ids[:1], [], [ids[0], -5]):
            among = set(model.objects.filter(**{f"{field}__among": chosen}).values_list("pk"))
            into = set(model.objects.filter(**{f"{field}__in": chosen}).values_list("pk"))
            assert among == into
        assert model.objects.filter(**{f"{field}__among": ids}).exists()


def test_a_list_past_sqlite_s_placeholder_cap_is_one_parameter(stored):
    ids = [stored[1].pk, *range(10**9, 10**9 + 40_000)]
    query = Room.objects.filter(school_id__among=ids)
    sql, params = query.query.sql_with_params()
    assert len(params) == 1 and sql.count("%s") == 1
    assert set(query.values_list("school_id", flat=True)) == {stored[1].pk}
    assert connection.vendor in {"sqlite", "postgresql"}
