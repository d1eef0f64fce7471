"""The REST lists that are web lists too: their query parameters go through the same FilterSet
(usecases.filters) by way of `usecases.lists`, so `/api/v1/schools?status=violation` and
`/lists/schools/?status=violation` are the same rows in the same order."""

from __future__ import annotations

from django.db.models import QuerySet
from ninja import Schema

from campusplan.api.auth import actor
from campusplan.api.errors import ApiError
from campusplan.usecases import lists

NOT_FILTERS = {"lang"}  # rendering options of an operation, not filters


def filter_params(filters: Schema) -> dict:
    return {k: v for k, v in filters.dict(exclude_none=True).items() if k not in NOT_FILTERS}


def listing_of(request, kind: str, filters: Schema, rows: QuerySet | None = None
               ) -> lists.Listing:
    """The caller's list of `kind` (or `rows` already scoped), filtered; 422 with each
    parameter's reason when the FilterSet refuses one."""
    params = filter_params(filters)
    try:
        if rows is None:
            return lists.listing(actor=actor(request), kind=kind, params=params)
        return lists.filtered(kind=kind, rows=rows, params=params)
    except lists.InvalidFilter as e:
        raise ApiError(422, "validation_error", details=[
            {"loc": ["query", k], "msg": " ".join(m), "type": "filter"}
            for k, m in e.errors.items()]) from None
