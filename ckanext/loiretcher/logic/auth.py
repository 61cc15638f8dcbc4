"""Auth functions matching the portal's actions."""
from __future__ import annotations

__all__: list[str] = []
