"""Auth functions matching the portal's actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan.types import AuthResult, Context, DataDict

__all__ = ["loiretcher_resource_validation_show", "loiretcher_scdl_summary"]


@tk.auth_allow_anonymous_access
def loiretcher_resource_validation_show(
    context: Context, data_dict: DataDict
) -> AuthResult:
    """Whoever can see the resource can see its validation result."""
    return authz.is_authorized("resource_show", context, data_dict)


@tk.auth_allow_anonymous_access
def loiretcher_scdl_summary(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever can see the dataset can see its summary."""
    return authz.is_authorized("package_show", context, data_dict)
