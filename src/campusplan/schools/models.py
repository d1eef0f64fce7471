"""Models of the schools app (to come)."""
