"""What a district reviews in a submission: the diff against the last accepted values and the
warnings of implausible changes (thresholds per value in standards/review.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

RULES_PATH = Path(__file__).resolve().parents[1] / "standards" / "review.yaml"


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = "*"
    down: float | None = None
    up: float | None = None
    note: str = ""


    def text(self, lang: str) -> str:
        """The note in one language: "中文…。English…" split after the Chinese sentence."""
        zh, _sep, en = self.note.partition("。")
        return f"{zh}。" if lang.startswith("zh") else en.strip()


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    default: Rule
    rules: list[Rule]

    def rule(self, key: str) -> Rule:
        return next((r for r in self.rules if r.key == key), self.default)


@cache
def rules(path: Path = RULES_PATH) -> Rules:
    return Rules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Difference:
    key: str
    old: object
    new: object

    @property
    def kind(self) -> str:
        return "new" if self.old is None else "removed" if self.new is None else "changed"


@dataclass(frozen=True)
class Warning:
    key: str
    old: float
    new: float
    rule: Rule

    @property
    def ratio(self) -> float | None:
        return self.new / self.old if self.old else None


def differences(old: dict | None, new: dict) -> list[Difference]:
    """Every value that differs from the accepted ones (all values new when none was accepted)."""
    old = old or {}
    return [Difference(k, old.get(k), new.get(k)) for k in sorted(set(old) | set(new))
            if old.get(k) != new.get(k)]


def _number(v) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def warnings(old: dict | None, new: dict, table: Rules | None = None) -> list[Warning]:
    """Numbers that fell below old × down or rose above old × up (a rise from 0 is flagged
    when `up` is set: no ratio can say how large it is)."""
    table = table or rules()
    out = []
    for d in differences(old, new):
        o, n = _number(d.old), _number(d.new)
        if o is None or n is None:
            continue
        r = table.rule(d.key)
        if (r.down is not None and n < o * r.down) or (r.up is not None and n > o * r.up):
            out.append(Warning(d.key, o, n, r))
    return out
