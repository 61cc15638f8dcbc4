"""Chained ckanext-dcat catalogue actions: what the catalogue leaves out."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.loiretcher import config

__all__ = ["dcat_catalog_search", "dcat_catalog_show"]

# Datasets that came from elsewhere: the portal's udata harvester sets guid and
# harvest_url, ckanext-harvest indexes harvest_source_id on every dataset it
# imported (whatever the harvester).
HARVESTED_FILTER = "-guid:[* TO *] -harvest_url:[* TO *] -harvest_source_id:[* TO *]"


def _filtered(data_dict: DataDict) -> DataDict:
    # Private and draft datasets are never searched by the catalogue (it
    # calls package_search with its defaults); ckanext-dcat excludes harvest
    # sources itself.
    data_dict = dict(data_dict)
    if config.dcat_exclude_harvested():
        fq = data_dict.get("fq") or ""
        data_dict["fq"] = f"{fq} {HARVESTED_FILTER}".strip()
    return data_dict


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_show(
    next_action: Action, context: Context, data_dict: DataDict
) -> Any:
    return next_action(context, _filtered(data_dict))


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_search(
    next_action: Action, context: Context, data_dict: DataDict
) -> Any:
    return next_action(context, _filtered(data_dict))
