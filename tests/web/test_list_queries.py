"""Query-count baselines of the list pages and the audit trail: a fixed number of queries,
whatever the rows on the page (no query per row), so a district's 300 schools or 100 audit rows
cost what the test world's 2 cost. The figures are pinned: a change that adds a query to these
pages says so here (benchmarks/web_load.py measures their time)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.world import A

pytestmark = pytest.mark.django_db

# path (as the district officer of 海淀 opens it) → queries when its content is built, the same
# for a page of 1 row and of every row: a list page is the session, the user and profile, the
# filters' count, the page's ids, those rows, the saved views, the header's notifications… (10),
# and 9 of keeping it (web/fragments.py: the unread notifications and the audit version (2) in
# its key, the cache read, and the database cache's write: its size, a savepoint, the key, the
# row, the release)
KEEPING = 9
PAGES = {
    "/lists/schools/": 10 + KEEPING,
    "/lists/schools/?status=gap&ordering=-rate": 10 + KEEPING,
    "/lists/results/?status=failing&level=required": 10 + KEEPING,
    "/search/?q=海淀": 7 + KEEPING,
    "/audit/": 7 + KEEPING,
}
KEPT = 7  # a kept page: the session, user, profile, unread notifications, audit version (2), cache
UNKEPT = {f"/school/{A}/audit/": 8}  # a school's own trail is built every time
# a page of many rows and one of few: the same queries
MANY_AND_FEW = [
    ("/lists/schools/?per_page=500", f"/lists/schools/?q={A}"),
    ("/lists/results/?per_page=500", f"/lists/results/?school={A}&item=1"),
    ("/audit/", f"/audit/?school={A}&field=fact.video_retention_days"),
]


def queries(client, path: str, kept: bool = False) -> int:
    """The queries of one request for `path`: building its content (the kept content dropped
    first), or serving it kept (web/fragments.py)."""
    client.get(path)  # the session's first write, the caches of a first visit
    if not kept:
        cache.clear()
    with CaptureQueriesContext(connection) as run:
        assert client.get(path).status_code == 200
    return len(run)


@pytest.mark.parametrize(("path", "expected"), (PAGES | UNKEPT).items())
def test_a_list_page_takes_a_fixed_number_of_queries(world, login, path, expected):
    assert queries(login(world["haidian"]), path) == expected


@pytest.mark.parametrize("path", PAGES)
def test_a_kept_list_page_takes_the_frame_queries_only(world, login, path):
    """Served kept: the session, the user and profile, what its key reads (notifications, the
    audit version), the cache — none of the list's or the menu's queries, whatever its filters."""
    assert queries(login(world["haidian"]), path, kept=True) == KEPT


@pytest.mark.parametrize(("many", "few"), MANY_AND_FEW)
def test_the_queries_do_not_grow_with_the_rows(world, login, many, few):
    client = login(world["haidian"])
    rows = [client.get(path).content.decode().count("<tr") for path in (many, few)]
    assert rows[0] > rows[1] >= 2, rows  # a header and at least one row
    assert queries(client, many) == queries(client, few)
