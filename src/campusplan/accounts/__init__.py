"""Roles, scopes (city / district / school) and the audit trail."""
