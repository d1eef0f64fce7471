"""The typed document bounds every text by its database column, so an over-long text is a
located input error on every database (PostgreSQL would otherwise answer with a 500)."""

from __future__ import annotations

from campusplan.engine.document import TEXT_MAX
from campusplan.schools.models import Device, PurchasedService, Room, School

COLUMNS = {"school.code": School.code, "school.name": School.name, "room.code": Room.code,
           "room.name": Room.name, "service.name": PurchasedService.name,
           "service.vendor": PurchasedService.vendor, "device.kind": Device.kind}


def test_every_bounded_text_matches_its_column():
    assert set(TEXT_MAX) == set(COLUMNS)
    for key, column in COLUMNS.items():
        assert TEXT_MAX[key] == column.field.max_length, key
