"""Models of the assessments app (to come)."""
