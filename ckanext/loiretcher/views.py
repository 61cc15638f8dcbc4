"""Flask blueprints of the portal."""
from __future__ import annotations

from flask import Blueprint

__all__ = ["loiretcher"]

loiretcher = Blueprint("loiretcher", __name__)
