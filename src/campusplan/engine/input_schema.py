"""JSON Schema of the school input format, generated from the typed document models.

`campusplan catalog input-schema` prints it; docs/school-input.schema.json is its output (a
test keeps the two equal). The models (engine/document.py) are generated from the fact
dictionary and the codes, so the schema follows the catalog; the consistency checks a schema
cannot say (figures that disagree, duplicate codes) are in the models' validators.
"""

from __future__ import annotations

from pydantic import TypeAdapter

from campusplan.catalog.loader import Catalog
from campusplan.engine.document import models_for


def input_schema(catalog: Catalog) -> dict:
    m = models_for(catalog)
    accepted = m.school | list[m.school] | m.inputs  # one school, a list, or the container
    schema = TypeAdapter(accepted).json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"campusplan school input ({catalog.version})", **schema}
