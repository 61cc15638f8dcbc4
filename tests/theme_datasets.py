"""Datasets for the theme tests, with or without the portal's scheming schemas."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
from ckan.tests import factories


def themed(names, **kwargs):
    """A dataset in ``names`` themes, through the scheming field when there is one."""
    schema = tk.h.scheming_get_dataset_schema(kwargs.get("type", "dataset"))
    if schema and any(f["field_name"] == "theme" for f in schema["dataset_fields"]):
        return factories.Dataset(theme=names, **kwargs)
    extras = [{"key": "theme", "value": json.dumps(names)}]
    return factories.Dataset(extras=extras, **kwargs)


def typed(dataset_type, **kwargs):
    """A dataset of an SCDL type, with the fields its schema requires if loaded."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(dataset_type)
    if schema and any(f["field_name"] == "year" for f in schema["dataset_fields"]):
        kwargs.setdefault("year", "2025")
    return factories.Dataset(type=dataset_type, **kwargs)
