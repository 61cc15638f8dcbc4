"""API actions of the portal, all prefixed ``loiretcher_``."""
from __future__ import annotations

__all__: list[str] = []
