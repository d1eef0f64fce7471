"""Fixed-window counters that hold under concurrency: `hit(key, period)` counts one call in the
current window and returns that call's number in it.

The count is one `UPDATE … SET count = count + 1` on the window's row inside a transaction,
then read back while the row is still locked (PostgreSQL's row lock, SQLite's write lock), so
parallel calls in any number of server processes each get a distinct number and at most
`limit` of them get a number ≤ limit. (The database cache's incr is a read, then a write: 16
threads got 251 of 300 calls through a limit of 120.)"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from campusplan.accounts.models import RateWindow


def hit(key: str, period: int, now: float | None = None) -> int:
    now = time.time() if now is None else now
    window = int(now // period)
    name = f"{key}:{period}:{window}"[:100]
    rows = RateWindow.objects.filter(key=name)
    with transaction.atomic():
        if not rows.update(count=F("count") + 1):
            expires = datetime.fromtimestamp((window + 1) * period, UTC)
            try:
                with transaction.atomic():
                    RateWindow.objects.create(key=name, count=1, expires_at=expires)
                    RateWindow.objects.filter(expires_at__lt=datetime.fromtimestamp(now, UTC)
                                              ).delete()
            except IntegrityError:  # another call created it first
                rows.update(count=F("count") + 1)
        return rows.values_list("count", flat=True).get()


def seconds_left(period: int, now: float | None = None) -> int:
    now = time.time() if now is None else now
    return max(1, int(period - now % period + 0.999))
