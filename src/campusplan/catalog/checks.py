"""What each check kind reads: its expression fields and the collection it iterates.

Shared by the validator, the engine and the reference evaluator so the three agree on which
fields of a check are expressions (the rest are keys or options).
"""

from __future__ import annotations

from campusplan.catalog.schema import Each, Presence, Prohibition

EXPR_FIELDS = {
    "presence": (),
    "condition": ("expr",),
    "minimum": ("actual", "required"),
    "ratio": ("actual", "per", "ratio"),
    "maximum": ("actual", "limit"),
    "prohibition": ("unless",),
    "each": ("condition", "expected"),
}


def expressions(check) -> dict[str, str]:
    """The check's expression texts by field name (facts named by key become `fact.<key>`)."""
    out = {f: getattr(check, f) for f in EXPR_FIELDS[check.kind] if getattr(check, f) is not None}
    if isinstance(check, Presence | Prohibition):
        out["fact"] = f"fact.{check.fact}"
    return out


def row_namespace(check) -> str | None:
    """`room` or `service` for checks over a collection, else None."""
    if isinstance(check, Each):
        return "room" if check.of == "rooms" else "service"
    return None
