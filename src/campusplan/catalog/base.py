"""The two base models every catalog model builds on: strict (no unknown key) and bilingual text.

Their own module so the schema and the check kinds (catalog/kinds) can both import them without
a cycle: schema.py builds its `Check` union from the kinds.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A short bilingual label."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang.startswith("zh") else self.en
