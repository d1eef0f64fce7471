"""Load a standard and its fact dictionary from the YAML files shipped in `standards/`."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from campusplan.catalog.schema import FactDictionary, Standard

STANDARDS_DIR = Path(__file__).resolve().parent.parent / "standards"
DEFAULT_STANDARD = "beijing"


@dataclass(frozen=True)
class Catalog:
    """A standard, the fact dictionary its checks read, and the checksum that identifies both."""

    standard: Standard
    facts: FactDictionary
    checksum: str

    @property
    def version(self) -> str:
        return f"{self.standard.key}@{self.standard.identity.version}+{self.checksum[:12]}"


def read_yaml(path: Path):
    """A YAML file as plain data (through the parsed-file cache: `_parsed`)."""
    return _parsed(path.read_bytes())


def load_files(standard_path: Path, facts_path: Path) -> Catalog:
    """Strict structural load (pydantic); meaning checks live in catalog/validate.py."""
    raw_std, raw_facts = standard_path.read_bytes(), facts_path.read_bytes()
    checksum = hashlib.sha256(raw_std + b"\0" + raw_facts).hexdigest()
    standard = Standard.model_validate(_parsed(raw_std))
    facts = FactDictionary.model_validate(_parsed(raw_facts))
    return Catalog(standard=standard, facts=facts, checksum=checksum)


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "campusplan"


def _parsed(raw: bytes):
    """A YAML file's content as plain data, cached as JSON under the file's checksum: parsing
    YAML dominated a one-school CLI run, JSON loads ~20x faster, and every file of the
    standard is cached (the codes too). The cache is only ever an optimisation: unreadable,
    it is rebuilt."""
    cache = _cache_dir() / f"yaml-{hashlib.sha256(raw).hexdigest()[:32]}.json"
    try:
        return json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    # libyaml's C loader parses the 4,000-line catalog ~10x faster than the pure-Python one
    data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    try:
        text = json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError):  # a date, a set: JSON cannot hold it, so no cache
        return data
    if json.loads(text) != data:  # e.g. integer keys would come back as strings
        return data
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(cache)
    except OSError:
        pass
    return data


# the files of standards/ that are not standards
NOT_STANDARDS = frozenset({"facts", "codes", "prices", "review"})


def standard_path(key: str) -> Path:
    """A standard's file: `<key>.yaml`, or `<key>-<edition>.yaml` (youzhi-2017.yaml)."""
    exact = STANDARDS_DIR / f"{key}.yaml"
    if exact.exists() and key not in NOT_STANDARDS:
        return exact
    found = sorted(STANDARDS_DIR.glob(f"{key}-*.yaml"))
    if len(found) != 1 or key in NOT_STANDARDS:
        raise KeyError(f"no standard `{key}` in {STANDARDS_DIR}")
    return found[0]


def standard_keys() -> list[str]:
    """Every standard shipped in standards/, by key (the file name up to its edition)."""
    return sorted({p.stem.split("-")[0] for p in STANDARDS_DIR.glob("*.yaml")} - NOT_STANDARDS)


@cache
def load_catalog(key: str = DEFAULT_STANDARD) -> Catalog:
    return load_files(standard_path(key), STANDARDS_DIR / "facts.yaml")
