"""The audit trail's hash chain: tamper-evident, verified by `campusplan audit verify`.

Every call that writes audit rows writes one *batch*: each row's digest is SHA-256 of the
previous row's digest (the batch id for the first) and the row's own content. When the
transaction commits, the batch is *sealed*: an AuditSeal links the batch's last digest to the
previous seal. Sealing after commit keeps the chain's one lock-free step short (a long import
never holds up a login's audit row), and `prev` being unique settles racing sealers.

What is hashed is what the row says — when, who (by name), from where, on what, before/after,
outcome — not the links to other tables (school, user, import source), which Django sets to
NULL when their target is deleted. An edited, inserted or deleted row, a deleted batch or a
truncated chain all fail verification; someone able to rewrite every row and every seal is out
of reach of any in-database check, which is why the archive files and the printed head digest
exist to be kept elsewhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from campusplan.accounts.models import AuditEntry, AuditSeal

GENESIS = "0" * 64
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
HASHED = ("at", "actor", "source", "request_id", "district_code", "object_type", "object_key",
          "field", "before", "after", "note", "address", "outcome")


def new_batch() -> str:
    return uuid.uuid4().hex


def _canon(value):
    """JSON values as any database returns them: PostgreSQL's jsonb turns 1e20 into an integer
    and reorders keys, so integral floats hash as integers and keys are sorted."""
    if type(value) is str:  # most of what is hashed
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _canon(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canon(v) for v in value]
    return value


def micros(at: dt.datetime) -> int:
    return (at - EPOCH) // dt.timedelta(microseconds=1)


def row_digest(prev: str, values: dict) -> str:
    body = [micros(values["at"]), *[_canon(values[k]) for k in HASHED[1:]]]  # HASHED[0]: "at"
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev}\x1e{text}".encode("utf-8", "surrogatepass")).hexdigest()


def seal_digest(prev: str, batch: str, count: int, last: str) -> str:
    return hashlib.sha256(f"{prev}|{batch}|{count}|{last}".encode()).hexdigest()


class Batch:
    """Digests rows of one batch in order; `seal_on_commit()` registers the seal."""

    def __init__(self) -> None:
        self.id = new_batch()
        self.last = self.id
        self.count = 0
        self.at: dt.datetime | None = None

    def digest(self, values: dict) -> str:
        self.last = row_digest(self.last, values)
        self.count += 1
        self.at = values["at"]
        return self.last

    def seal_on_commit(self) -> None:
        if self.count:
            batch, count, last, at = self.id, self.count, self.last, self.at
            transaction.on_commit(lambda: seal(batch, count, last, at))


def version() -> str:
    """A version of everything campusplan has changed: the newest seal's id and the newest
    audit row's. The seal grows with every committed batch in commit order (a seal links to
    the one before it, so it is inserted after that one committed), which entry ids alone do
    not (a long import's rows take ids before a shorter write that commits first); the entry's
    id adds what the reader's own transaction wrote before its seal. Two reads of a primary
    key's end."""
    seal = AuditSeal.objects.order_by("-id").values_list("id", flat=True).first() or 0
    entry = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return f"{seal}.{entry}"


def seal(batch: str, count: int, last: str, at: dt.datetime | None = None,
         tries: int = 100) -> AuditSeal:
    """Link a committed batch to the chain's head (retrying when another sealer won). The
    seal's time is its last row's, which the archive's `--before` compares."""
    at = at or timezone.now()
    for _ in range(tries):
        head = AuditSeal.objects.order_by("-id").values_list("digest", flat=True).first()
        prev = head or GENESIS
        try:
            with transaction.atomic():
                return AuditSeal.objects.create(batch=batch, count=count, last=last, prev=prev,
                                                digest=seal_digest(prev, batch, count, last),
                                                at=at)
        except IntegrityError:
            continue
    raise RuntimeError("could not seal an audit batch")  # pragma: no cover - 100 lost races


# --- verification ---------------------------------------------------------------------------


@dataclass
class Verdict:
    """What verification found: the number of rows and seals checked, and every problem."""

    rows: int = 0
    seals: int = 0
    archived: int = 0
    head: str = GENESIS
    problems: list[str] = field(default_factory=list)
    pending: int = 0  # rows of batches written in the last minute, not sealed yet

    @property
    def ok(self) -> bool:
        return not self.problems


def entry_values(entry: AuditEntry) -> dict:
    return {k: getattr(entry, k) for k in HASHED}


def _walk(seals: Iterable[AuditSeal], verdict: Verdict) -> list[AuditSeal]:
    """The seals in chain order from GENESIS; a fork, a gap or a bad digest is a problem."""
    by_prev = {s.prev: s for s in seals}
    ordered, prev = [], GENESIS
    while prev in by_prev:
        s = by_prev.pop(prev)
        if s.digest != seal_digest(s.prev, s.batch, s.count, s.last):
            verdict.problems.append(f"seal #{s.pk} (batch {s.batch}): digest does not match")
        ordered.append(s)
        prev = s.digest
    for s in by_prev.values():
        verdict.problems.append(f"seal #{s.pk} (batch {s.batch}) is not on the chain")
    verdict.head = prev
    return ordered


def _batches(entries: Iterator[AuditEntry], verdict: Verdict) -> dict[str, tuple[int, str, dt.datetime]]:
    """Recompute every batch's chain from its rows in id order: batch → (count, last, at)."""
    state: dict[str, tuple[int, str, dt.datetime]] = {}
    for e in entries:
        count, last, _at = state.get(e.batch, (0, e.batch, e.at))
        digest = row_digest(last, entry_values(e))
        if digest != e.digest:
            verdict.problems.append(f"audit row #{e.pk} ({e.object_type} {e.object_key}): "
                                    "content does not match its digest (edited or inserted)")
        state[e.batch] = (count + 1, digest, e.at)
        verdict.rows += 1
    return state


def verify(entries: Iterator[AuditEntry] | None = None,
           seals: Iterable[AuditSeal] | None = None, archive: bool = False) -> Verdict:
    """Check every row against its digest, every batch against its seal, every seal against the
    chain. With `archive`, only the given rows and seals (an archive file's) are checked."""
    verdict = Verdict()
    if entries is None:
        entries = AuditEntry.objects.order_by("id").only("pk", "batch", "digest", *HASHED) \
            .iterator(chunk_size=5000)
    chain = list(AuditSeal.objects.all() if seals is None else seals)
    ordered = _walk(chain, verdict) if not archive else _walk_prefix(chain, verdict)
    batches = _batches(entries, verdict)
    for s in ordered:
        verdict.seals += 1
        found = batches.pop(s.batch, None)
        if s.archived_at is not None and not archive:
            verdict.archived += 1
            if found is not None:
                verdict.problems.append(f"batch {s.batch} is archived but has rows here")
            continue
        if found is None or found[:2] != (s.count, s.last):
            got = found[0] if found else 0
            verdict.problems.append(f"batch {s.batch} (seal #{s.pk}): {got} of {s.count} rows "
                                    "match (rows deleted, edited or added)")
    recent = timezone.now() - dt.timedelta(minutes=1)
    for batch, (count, _last, at) in batches.items():
        if at >= recent and not archive:
            verdict.pending += count
        else:
            verdict.problems.append(f"batch {batch}: {count} rows without a seal")
    return verdict


def _walk_prefix(seals: list[AuditSeal], verdict: Verdict) -> list[AuditSeal]:
    """An archive's seals: consecutive links (the first one's prev is the chain before it)."""
    ordered = []
    for i, s in enumerate(seals):
        if s.digest != seal_digest(s.prev, s.batch, s.count, s.last):
            verdict.problems.append(f"seal (batch {s.batch}): digest does not match")
        if i and s.prev != seals[i - 1].digest:
            verdict.problems.append(f"seal (batch {s.batch}) does not follow the previous one")
        ordered.append(s)
    verdict.head = seals[-1].digest if seals else GENESIS
    return ordered


def seal_legacy(apps=None) -> None:
    """Chain rows written before the chain existed, in id order, as one batch (migration)."""
    entry_model = apps.get_model("accounts", "AuditEntry") if apps else AuditEntry
    seal_model = apps.get_model("accounts", "AuditSeal") if apps else AuditSeal
    batch = Batch()
    rows = entry_model._base_manager  # a plain manager: this one step writes the chain's columns
    for e in rows.filter(batch="").order_by("id").iterator():
        digest = batch.digest(entry_values(e))
        rows.filter(pk=e.pk).update(batch=batch.id, digest=digest)
    if batch.count:
        head = seal_model.objects.order_by("-id").values_list("digest", flat=True).first()
        prev = head or GENESIS
        seal_model.objects.create(batch=batch.id, count=batch.count, last=batch.last, prev=prev,
                                  digest=seal_digest(prev, batch.id, batch.count, batch.last),
                                  at=batch.at)
