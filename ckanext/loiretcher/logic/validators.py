"""Validators of the portal's metadata fields, all prefixed ``loiretcher_``."""
from __future__ import annotations

__all__: list[str] = []
