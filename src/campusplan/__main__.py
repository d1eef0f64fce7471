"""`python -m campusplan …`, the same as the `campusplan` entry point."""

from campusplan.cli import app

app(prog_name="campusplan")
