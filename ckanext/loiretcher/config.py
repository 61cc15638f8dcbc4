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


# DCAT-AP catalogue (loiretcher_dcat) options.


def dcat_exclude_harvested() -> bool:
    return tk.config["ckanext.loiretcher.dcat.exclude_harvested"]


def dcat_publisher_siret() -> str:
    return tk.config["ckanext.loiretcher.dcat.publisher_siret"] or ""


# data.gouv.fr publisher (loiretcher_datagouv) options.

DATAGOUV_API_KEY_ENV = "CKANEXT__LOIRETCHER__DATAGOUV__API_KEY"


def datagouv_publish() -> bool:
    return tk.config["ckanext.loiretcher.datagouv.publish"]


def datagouv_publish_url() -> str:
    return tk.config["ckanext.loiretcher.datagouv.url"].rstrip("/")


def datagouv_organization() -> str:
    return tk.config["ckanext.loiretcher.datagouv.organization"] or ""


def datagouv_api_key() -> str:
    """The write key: the option, else the environment (never logged)."""
    import os

    return (
        tk.config["ckanext.loiretcher.datagouv.api_key"]
        or os.environ.get(DATAGOUV_API_KEY_ENV, "")
    ).strip()


def datagouv_deletion() -> str:
    return tk.config["ckanext.loiretcher.datagouv.deletion"]


def datagouv_publish_harvested() -> bool:
    return tk.config["ckanext.loiretcher.datagouv.publish_harvested"]


def validation_sync_max_bytes() -> int:
    return tk.config["ckanext.loiretcher.validation.sync_max_bytes"]


def validation_report_max_errors() -> int:
    return tk.config["ckanext.loiretcher.validation.report_max_errors"]


def validation_download_timeout() -> int:
    return tk.config["ckanext.loiretcher.validation.download_timeout"]


def validation_queue() -> str:
    return tk.config["ckanext.loiretcher.validation.queue"]


def summary_cache_ttl() -> int:
    return tk.config["ckanext.loiretcher.summary.cache_ttl"]


def summary_top_beneficiaries() -> int:
    return tk.config["ckanext.loiretcher.summary.top_beneficiaries"]


def harvest_backoff() -> float:
    return float(tk.config["ckanext.loiretcher.harvest.backoff"])


def harvest_max_backoff() -> float:
    return float(tk.config["ckanext.loiretcher.harvest.max_backoff"])


def harvest_max_retry_after() -> float:
    return float(tk.config["ckanext.loiretcher.harvest.max_retry_after"])
