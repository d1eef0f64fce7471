"""The main part of a list page, kept rendered between requests until anything changes.

A district officer's lists (schools, results, the audit trail, the search) are read far more
often than the district's data changes, and one of them costs 25–75 ms of Python and SQL to
build (count, page of rows, table, filter form) — on two cores, that caps a server at ~35 list
pages a second. The rendered content is kept in the cache under:

* the reader (their id: scope, role and saved views are theirs), the page's language and the
  whole query string (filters, ordering, page, page size);
* the catalog's checksum, the code's (`code_stamp`) and today's date in Beijing (a new
  standard, a deploy or a new day is a new page);
* **the audit chain's head** (`accounts.chain.version`). Every change campusplan makes — a
  fact, an import, a run, a campaign step, an approval, a saved view, an account — writes audit
  rows in its transaction, and each committed batch of them is sealed onto the chain right
  after the commit, so any change anywhere makes every kept page stale at once. Coarse, but
  never wrong, and two indexed reads (`ORDER BY id DESC LIMIT 1`) decide it.

The page around the content (the header's notification bell, the menu) is rendered for every
request; forms inside the content take their CSRF token through `{% csrf_field %}`. Only a
successful page (200) is kept; a refused filter (422) is built each time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache as once
from pathlib import Path

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from campusplan.accounts import chain
from campusplan.web.http import catalog, lang

# long enough to serve a morning's reading, short enough that a cache left over by a
# restore or a manual database edit (which writes no audit entry) heals by itself
TIMEOUT_SECONDS = 15 * 60


@once
def code_stamp() -> str:
    """The installed code and templates as of this process's start: every worker of one deploy
    computes the same stamp, a new deploy another (what a kept page was rendered by)."""
    root = Path(__file__).resolve().parents[1]
    files = [p.stat() for p in root.rglob("*") if p.suffix in (".py", ".html", ".mo", ".yaml")]
    return f"{len(files)}-{max((f.st_mtime_ns for f in files), default=0)}"


def key_for(request: HttpRequest, name: str) -> str:
    parts = "|".join((name, str(request.user.pk), lang(), catalog().checksum, code_stamp(),
                      timezone.localdate().isoformat(), chain.version(),
                      request.GET.urlencode()))
    return f"content:{hashlib.sha256(parts.encode()).hexdigest()}"


def content(request: HttpRequest, name: str,
            build: Callable[[], tuple[str, int]]) -> tuple[SafeString, int]:
    """The page's rendered content and status: kept, or built by `build()` (the HTML and the
    status) and kept when the status is 200."""
    key = key_for(request, name)
    kept = cache.get(key)
    if kept is not None:
        return mark_safe(kept), 200
    html, status = build()
    if status == 200:
        cache.set(key, str(html), TIMEOUT_SECONDS)
    return mark_safe(html), status
