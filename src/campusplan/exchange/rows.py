"""Engine documents (and devices, results) → the rows of each exchange sheet, keyed by column.

The inverse of bundle.py: export writes these rows with the layout's `to_cell`, import reads them
back with `from_cell`, so an export re-imports unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from campusplan.exchange.inventory import DeviceRow
from campusplan.exchange.layout import Layout


@dataclass
class SheetRows:
    """Rows per sheet key (profile, area:<key>, rooms, services, devices, results)."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def get(self, key: str) -> list[dict[str, Any]]:
        return self.rows.get(key, [])


def profile_row(doc: dict) -> dict[str, Any]:
    row = {k: doc.get(k) for k in ("code", "name", "district", "type", "teachers")}
    for st, vals in (doc.get("stages") or {}).items():
        row |= {f"stage.{st}.{k}": v for k, v in (vals or {}).items()}
    phase = doc.get("smart_phase")
    row["smart_phase"] = phase["phase"] if phase else "none"
    row["smart_since"] = (phase or {}).get("since")
    row["approved_data_center"] = doc.get("approved_data_center", False)
    row["rooms_inventoried"] = doc.get("rooms") is not None
    row["services_inventoried"] = doc.get("services") is not None
    return row


def sheet_rows(layout: Layout, docs: list[dict], district_services: list[dict] | None = None,
               devices: list[DeviceRow] | None = None,
               results: list[dict] | None = None) -> SheetRows:
    out = SheetRows()
    for spec in layout.sheets:
        if spec.key.startswith("area:"):
            keys = [c.key for c in spec.columns]
            out.rows[spec.key] = [
                {"code": d["code"], "name": d.get("name")}
                | {k: d["facts"].get(k[5:]) for k in keys if k.startswith("fact.")}
                for d in docs]
    out.rows["profile"] = [profile_row(d) for d in docs]
    out.rows["rooms"] = [_room_row(d["code"], r) for d in docs for r in d.get("rooms") or []]
    out.rows["services"] = [_service_row(s, code=d["code"]) for d in docs
                            for s in d.get("services") or []]
    out.rows["services"] += [_service_row(s, district=s["district"])
                             for s in district_services or []]
    out.rows["devices"] = [_device_row(x) for x in devices or []]
    out.rows["results"] = list(results or [])
    return out


def school_table(layout: Layout, docs: list[dict]) -> list[dict[str, Any]]:
    """Profile and every school fact in one row per school (the CSV export's main file)."""
    return [profile_row(d) | {f"fact.{k}": v for k, v in d["facts"].items()} for d in docs]


def _room_row(code: str, room: dict) -> dict[str, Any]:
    row = {"code": code, "room_code": room["code"], "room_type": room.get("type"),
           "room_name": room.get("name")}
    return row | {f"room.{k}": v for k, v in room.items() if k not in ("code", "type", "name")}


def _service_row(svc: dict, code: str | None = None, district: str | None = None) -> dict:
    row = {"code": code, "service_district": district, "category": svc["category"],
           "service_name": svc["name"], "vendor": svc.get("vendor") or None,
           "service.provided_by": svc.get("provided_by") or ("district" if district else None)}
    return row | {f"service.{k}": v for k, v in svc.items()
                  if k not in ("category", "name", "vendor", "provided_by", "district")}


def _device_row(d: DeviceRow) -> dict[str, Any]:
    return {"code": d.school, "room_code": d.room, "kind": d.kind, "asset_tag": d.asset_tag,
            "model": d.model or None, "purchase_date": d.purchase_date, "cost": d.cost}
