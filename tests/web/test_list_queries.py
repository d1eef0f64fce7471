"""Query-count baselines of the list pages and the audit trail: a fixed number of queries,
whatever the rows on the page (no query per row), so a district's 300 schools or 100 audit rows
cost what the test world's 2 cost. The figures are pinned: a change that adds a query to these
pages says so here (benchmarks/web_load.py measures their time)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.world import A

pytestmark = pytest.mark.django_db

# path (as the district officer of 海淀 opens it) → queries, the same for a page of 1 row and
# of every row: a list page is the session, the user and profile, the filters' count, the
# page's ids, those rows, the saved views, the header's notifications… (10)
PAGES = {
    "/lists/schools/": 10,
    "/lists/schools/?status=gap&ordering=-rate": 10,
    "/lists/results/?status=failing&level=required": 10,
    "/search/?q=海淀": 7,
    "/audit/": 7,
    f"/school/{A}/audit/": 8,
}
# a page of many rows and one of few: the same queries
MANY_AND_FEW = [
    ("/lists/schools/?per_page=500", f"/lists/schools/?q={A}"),
    ("/lists/results/?per_page=500", f"/lists/results/?school={A}&item=1"),
    ("/audit/", f"/audit/?school={A}&field=fact.video_retention_days"),
]


def queries(client, path: str) -> int:
    client.get(path)  # the session's first write, the caches of a first visit
    with CaptureQueriesContext(connection) as run:
        assert client.get(path).status_code == 200
    return len(run)


@pytest.mark.parametrize(("path", "expected"), PAGES.items())
def test_a_list_page_takes_a_fixed_number_of_queries(world, login, path, expected):
    assert queries(login(world["haidian"]), path) == expected


@pytest.mark.parametrize(("many", "few"), MANY_AND_FEW)
def test_the_queries_do_not_grow_with_the_rows(world, login, many, few):
    client = login(world["haidian"])
    rows = [client.get(path).content.decode().count("<tr") for path in (many, few)]
    assert rows[0] > rows[1] >= 2, rows  # a header and at least one row
    assert queries(client, many) == queries(client, few)
