"""The school page's inventory: rooms by type with each room's facts and its own verdicts under
the per-room requirements (`each`), and devices with their age and the year their service life
ends. Reads only: the stored rooms and devices, the school's stored run (its frames), the price
catalog's service lives (planning.plan.device_life, the rule the refresh plan applies)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl
from django.utils import timezone

from campusplan.catalog.loader import Catalog
from campusplan.catalog.schema import Fact, FactType, Scope
from campusplan.engine.rows import RowVerdict, row_facts_read, row_specs, row_verdicts
from campusplan.exchange.inventory import DeviceKinds
from campusplan.planning.plan import DeviceLife, device_life
from campusplan.planning.prices import default_prices
from campusplan.schools.models import Device, FactValue, Room, School
from campusplan.web.school import SchoolRun, lang_code


@dataclass(frozen=True)
class RoomView:
    room: Room
    values: list[object]  # one per column of its type, None when unknown
    verdicts: list[RowVerdict]

    @property
    def worst(self) -> str:
        statuses = {v.status for v in self.verdicts}
        return next((s for s in ("violation", "gap", "unknown", "met") if s in statuses), "")


@dataclass(frozen=True)
class RoomType:
    key: str
    label: str
    facts: list[Fact]  # the columns: facts its requirements read, then others stored
    labels: list[str]  # their headings, in the reader's language
    rooms: list[RoomView] = field(default_factory=list)

    def count(self, status: str) -> int:
        """Rooms whose worst verdict is `status`."""
        return sum(r.worst == status for r in self.rooms)

    @property
    def violations(self) -> int:
        return self.count("violation")

    @property
    def gaps(self) -> int:
        return self.count("gap")

    @property
    def unknowns(self) -> int:
        return self.count("unknown")


@dataclass(frozen=True)
class DeviceView:
    device: Device
    kind_label: str
    life: DeviceLife


def room_facts(catalog: Catalog) -> dict[str, Fact]:
    return {f.key: f for f in catalog.facts.facts if f.scope == Scope.room}


def _read_by_type(catalog: Catalog) -> dict[str, list[str]]:
    """Room type → the room facts its per-room conditions read, in the dictionary's order."""
    from_conditions: dict[str, set[str]] = {}
    for spec in row_specs(catalog):
        src = spec.req.check.row_source()
        from_conditions.setdefault(src.type, set()).update(row_facts_read(spec))
    order = list(room_facts(catalog))
    return {t: [k for k in order if k in keys] for t, keys in from_conditions.items()}


def _values(rooms: list[Room]) -> dict[int, dict[str, object]]:
    out: dict[int, dict[str, object]] = {}
    for fv in FactValue.objects.filter(room__in=rooms, superseded_at__isnull=True):
        out.setdefault(fv.room_id, {})[fv.key] = fv.value
    return out


def room_types(catalog: Catalog, school: School, lang: str, run: SchoolRun) -> list[RoomType]:
    """The school's rooms grouped by type (the dictionary's order), each with its facts and
    its verdicts; requirements not applicable to the school are not shown per room."""
    rooms = list(Room.objects.filter(school=school).select_related("campus").order_by("code"))
    if not rooms:
        return []
    values = _values(rooms)
    verdicts = _verdicts(catalog, school, lang, run)
    facts, read = room_facts(catalog), _read_by_type(catalog)
    out = []
    for rt in catalog.facts.room_types:
        mine = [r for r in rooms if r.room_type == rt.key]
        if not mine:
            continue
        keys = read.get(rt.key, []) + read.get("*", [])
        stored = {k for r in mine for k in values.get(r.pk, {})}
        keys += [k for k in facts if k in stored and k not in keys]
        cols = [facts[k] for k in keys]
        labels = [_heading(f, lang) for f in cols]
        out.append(RoomType(rt.key, rt.label.get(lang_code(lang)), cols, labels, [
            RoomView(r, [values.get(r.pk, {}).get(f.key) for f in cols],
                     verdicts.get(r.code, [])) for r in mine]))
    return out


def _heading(fact: Fact, lang: str) -> str:
    unit = fact.unit_in(lang_code(lang)) if fact.unit else ""
    label = fact.label.get(lang_code(lang))
    return f"{label}（{unit}）" if unit and lang_code(lang) == "zh" else (
        f"{label} ({unit})" if unit else label)


def _verdicts(catalog: Catalog, school: School, lang: str,
              run: SchoolRun) -> dict[str, list[RowVerdict]]:
    """Per room, from the stored run's frames; nothing before the school's first run."""
    assessment, info = run.stored
    if info is None:
        return {}
    rows = run.matrix
    skip = frozenset(rows.filter(pl.col("status") == "not_applicable")["requirement_id"])
    return row_verdicts(catalog, assessment.frames, school.code, lang_code(lang), skip=skip)


def devices(school: School, kinds: DeviceKinds, lang: str,
            as_of: dt.date | None = None) -> list[DeviceView]:
    """The school's devices, oldest first, with age and end of service life."""
    as_of = as_of or timezone.localdate()
    lines = default_prices().by_key()
    labels = kinds.labels()
    out = []
    for d in Device.objects.filter(school=school).select_related("room") \
            .order_by("purchase_date", "asset_tag"):
        kind = kinds.kinds.get(d.kind)
        line = lines.get(kind.price_line) if kind and kind.price_line else None
        life = device_life(d.purchase_date, line.service_life_years if line else None, as_of)
        label = labels[d.kind].get(lang_code(lang)) if d.kind in labels else d.kind
        out.append(DeviceView(d, label, life))
    return out


def bulk_facts(catalog: Catalog) -> list[Fact]:
    """The room facts a bulk edit may set: every room fact of the dictionary."""
    return list(room_facts(catalog).values())


def input_kind(fact: Fact) -> str:
    return {FactType.bool: "bool", FactType.enum: "enum"}.get(fact.type, "number")
