"""Load a standard and its fact dictionary from the YAML files shipped in `standards/`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from campusplan.catalog.schema import FactDictionary, Standard

# libyaml's C loader parses the 4,000-line catalog ~10x faster than the pure-Python one
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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


def read_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_Loader)  # noqa: S506 - a safe loader


def load_files(standard_path: Path, facts_path: Path) -> Catalog:
    """Strict structural load (pydantic); meaning checks live in catalog/validate.py."""
    raw_std, raw_facts = standard_path.read_bytes(), facts_path.read_bytes()
    standard = Standard.model_validate(yaml.load(raw_std, Loader=_Loader))  # noqa: S506
    facts = FactDictionary.model_validate(yaml.load(raw_facts, Loader=_Loader))  # noqa: S506
    checksum = hashlib.sha256(raw_std + b"\0" + raw_facts).hexdigest()
    return Catalog(standard=standard, facts=facts, checksum=checksum)


@cache
def load_catalog(key: str = DEFAULT_STANDARD) -> Catalog:
    return load_files(STANDARDS_DIR / f"{key}.yaml", STANDARDS_DIR / "facts.yaml")
