"""Stored assessment runs, their results and scores."""
