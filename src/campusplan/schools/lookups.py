"""`field__among=ids`: membership in a long list of ids sent as one parameter.

Django's `__in` writes one placeholder per value, and psycopg splits and merges a query's
placeholders in Python: a stored run's fact query over 10,000 school ids spent ≈ 0.3 s there
before the server saw it, and each of a run's four such queries paid it (docs/scale.md). SQLite
also caps a statement's placeholders (which is why older callers chunk their lists). `among`
sends the ids as one array (PostgreSQL: `= ANY(%s)`) or one JSON list (SQLite: `json_each`),
whatever their number. Registered on integer and foreign-key fields by SchoolsConfig.ready.
"""

from __future__ import annotations

import json

from django.db.models import Lookup


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(v) for v in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*params, self.rhs]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self.rhs)]
