"""`GET /healthz` for a load balancer or a supervisor: 200 when the database answers and every
migration is applied, else 503, as JSON. No login, no session, nothing about the data."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _unapplied() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database()}
    try:
        pending = _unapplied() if checks["database"] else None
    except DatabaseError:
        pending = None
    checks["migrations"] = pending == 0
    ok = all(checks.values())
    body = {"status": "ok" if ok else "unavailable",
            "checks": {k: "ok" if v else "failed" for k, v in checks.items()},
            "pending_migrations": pending}
    return JsonResponse(body, status=200 if ok else 503)
