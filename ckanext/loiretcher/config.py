"""Typed access to the options declared in the config_declaration files."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def portal_name() -> str:
    return tk.config["ckanext.loiretcher.portal_name"]


def refuse_invalid_files() -> bool:
    return tk.config["ckanext.loiretcher.validation.refuse_invalid"]


# Theme (loiretcher_theme) options.


def home_cache_ttl() -> int:
    return tk.config["ckanext.loiretcher.home_cache_ttl"]


def accessibility_compliance() -> str:
    return tk.config["ckanext.loiretcher.accessibility_compliance"]


def accessibility_audit_date() -> str:
    return tk.config["ckanext.loiretcher.accessibility_audit_date"] or ""


def contact_email() -> str:
    return tk.config["ckanext.loiretcher.contact_email"] or ""


def department_url() -> str:
    return tk.config["ckanext.loiretcher.department_url"]


def observatoire_url() -> str:
    return tk.config["ckanext.loiretcher.observatoire_url"]


def datagouv_url() -> str:
    return tk.config["ckanext.loiretcher.datagouv_url"]


def host_name() -> str:
    return tk.config["ckanext.loiretcher.host_name"] or ""
