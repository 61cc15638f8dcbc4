"""Template helpers of the portal, all prefixed ``loiretcher_``."""
from __future__ import annotations

from ckanext.loiretcher import config

__all__ = ["loiretcher_portal_name"]


def loiretcher_portal_name() -> str:
    """Name of the portal, as configured."""
    return config.portal_name()
