"""Validation of published files against the SCDL Table Schemas."""
