"""校际差异系数 (coefficient of variation across schools) by the official, student-weighted method.

Source: 《县域义务教育优质均衡发展督导评估办法》 and the 基本均衡 method it carries over, as compiled in
shared/spec/youzhi-junheng.md §3: for one indicator, one 学段, one county,

    P_i = students of unit i, P = Σ P_i;  x_i = the unit's resource;  X_i = x_i / P_i
    X̄ = Σ x_i / P (the county total ÷ county students);  S = sqrt(Σ (P_i / P)(X_i − X̄)²)
    CV = S / X̄

A unit is one school's 学段: a 一贯制 school is one primary plus one junior unit, a 完全中学
counts by its junior section; a resource the stages share is split by per-pupil weights
(小学 : 初中 : 高中 = 1 : 1.1 : 1.32). Pure: numbers in, numbers out; the weights and
thresholds are parameters of the catalog (beijing.yaml `indicators.equity`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """One school's 学段 as the method counts it: its resource `amount` (x_i) and the head
    count it is per (`base`, P_i: the stage's students)."""

    group: str  # the county / district
    stage: str
    amount: float | None
    base: float | None


@dataclass(frozen=True)
class Spread:
    n: int  # units with both values known
    mean: float | None  # X̄ = Σx / ΣP
    sd: float | None
    cv: float | None
    threshold: float | None = None

    @property
    def ok(self) -> bool | None:
        """Within the threshold (≤); unknown without a CV or a threshold."""
        if self.cv is None or self.threshold is None:
            return None
        return self.cv <= self.threshold


def weighted_cv(pairs: Iterable[tuple[float, float]]) -> Spread:
    """CV of (amount, base) pairs weighted by base (units with base ≤ 0 are left out: a unit
    without students carries no weight and has no per-pupil value)."""
    known = [(x, p) for x, p in pairs if x is not None and p is not None and p > 0]
    total = sum(p for _x, p in known)
    if not known:
        return Spread(0, None, None, None)
    mean = sum(x for x, _p in known) / total
    var = sum(p / total * (x / p - mean) ** 2 for x, p in known)
    sd = math.sqrt(var)
    return Spread(len(known), mean, sd, sd / mean if mean else None)


def spread_of_sums(n: int, amount: float, base: float, square: float,
                   threshold: float | None = None) -> Spread:
    """The same weighted CV from sums a database computes over the known units (x and P known,
    P > 0): n, Σx, ΣP and Σ x²/P. Expanding the method's S², with X̄ = Σx / P:

        Σ (P_i/P)(x_i/P_i − X̄)² = Σ(x_i²/P_i)/P − 2·X̄·Σx_i/P + X̄² = Σ(x_i²/P_i)/P − X̄²

    so a dashboard groups the stored units in SQL instead of reading each one (30,000 units at
    10,000 schools). The subtraction loses ≈ 1e-16/CV² of relative precision: nothing at the
    figures shown (3 decimals). tests/engine/test_equity.py checks it against `weighted_cv`."""
    if not n or not base:
        return Spread(0, None, None, None, threshold)
    mean = amount / base
    sd = math.sqrt(max(square / base - mean * mean, 0.0))
    return Spread(n, mean, sd, sd / mean if mean else None, threshold)


def unweighted_cv(values: Iterable[float | None]) -> Spread:
    """The plain population CV of per-unit values: what the official method is NOT (kept to
    show the difference; youzhi-junheng.md §3.3)."""
    vals = [v for v in values if v is not None]
    if not vals:
        return Spread(0, None, None, None)
    mean = sum(vals) / len(vals)
    sd = math.sqrt(sum((v - mean) ** 2 for v in vals) / len(vals))
    return Spread(len(vals), mean, sd, sd / mean if mean else None)


def stage_shares(students: Mapping[str, float | None],
                 weights: Mapping[str, float]) -> dict[str, float] | None:
    """The part of a shared resource each stage gets: w_s·P_s / Σ w_t·P_t (e.g. a 九年一贯制's
    小学部 A/(A+1.1B)). None when a stage's students are unknown or there are none."""
    if any(v is None for v in students.values()):
        return None
    weighted = {st: weights[st] * (p or 0) for st, p in students.items()}
    total = sum(weighted.values())
    return {st: w / total for st, w in weighted.items()} if total else None


def school_units(group: str, amount: float | None, students: Mapping[str, float | None],
                 weights: Mapping[str, float], stages: Iterable[str],
                 base: Mapping[str, float | None] | None = None) -> list[Unit]:
    """A school's units for the `stages` judged (小学, 初中): its shared `amount` split by the
    per-pupil weights over all its stages (a 完全中学's senior section takes its part too).
    `base` is the head count per stage (default: the students)."""
    shares = stage_shares(students, weights)
    base = students if base is None else base
    out = []
    for st in stages:
        if st not in students:
            continue
        part = None if amount is None or shares is None else amount * shares[st]
        out.append(Unit(group, st, part, base.get(st)))
    return out


def spreads(units: Iterable[Unit], thresholds: Mapping[str, float]) -> dict[tuple[str, str], Spread]:
    """(group, stage) → its weighted CV with the stage's threshold."""
    by: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for u in units:
        by[u.group, u.stage].append((u.amount, u.base))
    out = {}
    for key, pairs in sorted(by.items()):
        s = weighted_cv(pairs)
        out[key] = Spread(s.n, s.mean, s.sd, s.cv, thresholds.get(key[1]))
    return out
