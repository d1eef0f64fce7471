"""Models of the accounts app (to come)."""
