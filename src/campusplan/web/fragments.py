"""List pages kept rendered between requests until anything changes.

A district officer's lists (schools, results, the audit trail, the search) are read far more
often than the district's data changes, and one of them costs 25–75 ms of Python and SQL to
build (count, page of rows, table, filter form, the page around it) — on two cores, that caps a
server at ~35 list pages a second. The rendered page is kept in the cache under:

* the reader (their id: scope, role and saved views are theirs), their unread notifications
  (the header's bell), the page's language and its whole address (filters, ordering, page, page
  size; the language switch returns to it);
* the catalog's checksum, the code's (`code_stamp`) and today's date in Beijing (a new
  standard, a deploy or a new day is a new page);
* **the audit version** (`accounts.chain.version`). Every change campusplan makes — a fact, an
  import, a run, a campaign step, an approval, a saved view, an account — writes audit rows in
  its transaction, and each committed batch of them is sealed onto the chain right after the
  commit, so any change anywhere makes every kept page stale at once. Coarse, but never wrong,
  and two indexed reads (`ORDER BY id DESC LIMIT 1`) decide it.

Every CSRF token of a kept page is a placeholder (`csrf_token` in the context) that
CachedFormTokenMiddleware replaces with the reader's own token in each response. A page with a
message to show (django.contrib.messages) is built and not kept; so is any page but a 200.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache as once
from pathlib import Path

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from campusplan.accounts import chain
from campusplan.usecases import notifications
from campusplan.web.http import catalog, lang
from campusplan.web.middleware import CSRF_PLACEHOLDER

# long enough to serve a morning's reading, short enough that a cache left over by a
# restore or a manual database edit (which writes no audit entry) heals by itself
TIMEOUT_SECONDS = 15 * 60
# what a kept page's forms carry until the middleware puts the reader's token in
TOKEN = {"csrf_token": CSRF_PLACEHOLDER}


@once
def code_stamp() -> str:
    """The installed code and templates as of this process's start: every worker of one deploy
    computes the same stamp, a new deploy another (what a kept page was rendered by)."""
    root = Path(__file__).resolve().parents[1]
    files = [p.stat() for p in root.rglob("*") if p.suffix in (".py", ".html", ".mo", ".yaml")]
    return f"{len(files)}-{max((f.st_mtime_ns for f in files), default=0)}"


def key_for(request: HttpRequest, name: str) -> str:
    unread = notifications.unread_count(user=request.user)
    parts = "|".join((name, str(request.user.pk), str(unread), lang(), catalog().checksum,
                      code_stamp(), timezone.localdate().isoformat(), chain.version(),
                      request.get_full_path()))
    return f"page:{hashlib.sha256(parts.encode()).hexdigest()}"


def kept(request: HttpRequest, name: str, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The page as kept, or built by `build()` (rendering with `TOKEN` in its context) and kept
    when it is a plain 200."""
    if len(messages.get_messages(request)):  # shown once: this page is not the same twice
        return build()
    key = key_for(request, name)
    html = cache.get(key)
    if html is not None:
        return HttpResponse(html)
    response = build()
    if response.status_code == 200 and not response.streaming \
            and response.get("Content-Type", "").startswith("text/html"):
        cache.set(key, response.content.decode(), TIMEOUT_SECONDS)
    return response
