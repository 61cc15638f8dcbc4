"""Typed access to the options declared in the config_declaration files."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def portal_name() -> str:
    return tk.config["ckanext.loiretcher.portal_name"]


def refuse_invalid_files() -> bool:
    return tk.config["ckanext.loiretcher.validation.refuse_invalid"]
