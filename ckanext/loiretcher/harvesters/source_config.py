"""The JSON configuration of a ``datagouvfr`` harvest source: parsing, checks.

:func:`parse_source_config` checks the shape and returns a
:class:`SourceConfig` plus the list of problems, each a complete sentence in
the current language; the harvester adds the checks that need the database.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from ckanext.loiretcher.datagouv.client import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT

__all__ = [
    "OPTIONS",
    "REMOTE_DELETION",
    "SourceConfig",
    "parse_source_config",
]

REMOTE_DELETION = ("delete", "keep")
PAGE_SIZE = (1, 1000)
TIMEOUT = (1, 600)
MAX_RETRIES = (0, 10)
OPTIONS = (
    "organization", "q", "tags", "page_size", "dataset_type_rules",
    "default_groups", "themes", "organization_mapping", "create_organizations",
    "remote_deletion", "timeout", "max_retries",
)
_SCHEMA_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$")
_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")


@dataclass(frozen=True)
class SourceConfig:
    """A valid source configuration, with its defaults filled in."""

    organization: str | None = None
    q: str | None = None
    tags: tuple[str, ...] = ()
    page_size: int = 100
    dataset_type_rules: dict[str, str] = field(default_factory=dict)
    default_groups: tuple[str, ...] = ()
    themes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    organization_mapping: dict[str, str] = field(default_factory=dict)
    create_organizations: bool = False
    remote_deletion: str = "delete"
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES

    def to_json(self) -> str:
        """The normalised configuration, as stored on the source."""
        values = asdict(self)
        defaults = asdict(SourceConfig())
        kept = {k: v for k, v in values.items() if v != defaults[k] or k in (
            "remote_deletion",
        )}
        for key in ("tags", "default_groups"):
            if key in kept:
                kept[key] = list(kept[key])
        if "themes" in kept:
            kept["themes"] = {k: list(v) for k, v in kept["themes"].items()}
        return json.dumps(kept, ensure_ascii=False, sort_keys=True)


def parse_source_config(
    text: str | None, translate: Callable[[str], str]
) -> tuple[SourceConfig, list[str]]:
    """The configuration in ``text`` and the problems found in it (translated
    with ``translate``); the configuration is only meaningful without them."""
    _ = translate
    errors: list[str] = []
    text = (text or "").strip()
    if not text:
        raw: Any = {}
    else:
        try:
            raw = json.loads(text)
        except ValueError as exc:
            return SourceConfig(), [
                _("The configuration is not valid JSON: %(error)s.")
                % {"error": exc}
            ]
    if not isinstance(raw, dict):
        return SourceConfig(), [_(
            'The configuration must be a JSON object, for example '
            '{"organization": "departement-de-loir-et-cher"}.'
        )]
    for key in raw:
        if key not in OPTIONS:
            errors.append(
                _('Unknown option "%(key)s". The options are: %(options)s.')
                % {"key": key, "options": ", ".join(OPTIONS)}
            )
    values: dict[str, Any] = {}

    for key in ("organization", "q"):
        if key in raw:
            value = raw[key]
            if not isinstance(value, str) or not value.strip():
                errors.append(
                    _('"%(key)s" must be a non-empty string.') % {"key": key}
                )
            else:
                values[key] = value.strip()

    if "tags" in raw:
        tags = raw["tags"]
        if isinstance(tags, str):
            tags = [tags]
        if (
            not isinstance(tags, list) or not tags
            or not all(isinstance(t, str) and t.strip() for t in tags)
        ):
            errors.append(_('"tags" must be a list of udata tags (non-empty strings).'))
        else:
            values["tags"] = tuple(t.strip() for t in tags)

    if not any(k in values for k in ("organization", "q", "tags")) and not any(
        k in raw for k in ("organization", "q", "tags")
    ):
        errors.append(_(
            '"organization" is required (the slug or id of the udata '
            'organization whose datasets are harvested), unless "q" or "tags" '
            "selects the datasets."
        ))

    for key, (low, high) in (("page_size", PAGE_SIZE), ("max_retries", MAX_RETRIES)):
        if key in raw:
            value = raw[key]
            if (
                isinstance(value, bool) or not isinstance(value, int)
                or not low <= value <= high
            ):
                errors.append(
                    _('"%(key)s" must be a whole number from %(min)s to %(max)s.')
                    % {"key": key, "min": low, "max": high}
                )
            else:
                values[key] = value

    if "timeout" in raw:
        value = raw["timeout"]
        low, high = TIMEOUT
        if (
            isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value) or not low <= value <= high
        ):
            errors.append(
                _('"timeout" must be a number of seconds from %(min)s to %(max)s.')
                % {"min": low, "max": high}
            )
        else:
            values["timeout"] = float(value)

    if "remote_deletion" in raw:
        value = raw["remote_deletion"]
        if value not in REMOTE_DELETION:
            errors.append(_(
                '"remote_deletion" must be "delete" (datasets removed at the '
                'source are deleted here) or "keep".'
            ))
        else:
            values["remote_deletion"] = value

    if "create_organizations" in raw:
        value = raw["create_organizations"]
        if not isinstance(value, bool):
            errors.append(_('"create_organizations" must be true or false.'))
        else:
            values["create_organizations"] = value

    if "dataset_type_rules" in raw:
        rules = raw["dataset_type_rules"]
        if not isinstance(rules, dict) or not all(
            isinstance(k, str) and _SCHEMA_NAME.match(k.strip().lower())
            and isinstance(v, str) and _NAME.match(v)
            for k, v in rules.items()
        ):
            errors.append(_(
                '"dataset_type_rules" must map schema names to dataset types, '
                'for example {"scdl/subventions": "subvention"}.'
            ))
        else:
            values["dataset_type_rules"] = {
                k.strip().lower(): v for k, v in rules.items()
            }

    if "default_groups" in raw:
        groups = raw["default_groups"]
        if isinstance(groups, str):
            groups = [groups]
        if not isinstance(groups, list) or not all(
            isinstance(g, str) and _NAME.match(g) for g in groups
        ):
            errors.append(_(
                '"default_groups" must be a list of group names, for example '
                '["economie-emploi"].'
            ))
        else:
            values["default_groups"] = tuple(groups)

    if "themes" in raw:
        themes = raw["themes"]
        if not isinstance(themes, dict) or not all(
            isinstance(k, str) and _NAME.match(k) and isinstance(v, list)
            and v and all(isinstance(t, str) and t.strip() for t in v)
            for k, v in themes.items()
        ):
            errors.append(_(
                '"themes" must map theme names to lists of udata tags, for '
                'example {"economie-emploi": ["emploi", "entreprises"]}.'
            ))
        else:
            values["themes"] = {
                k: tuple(t.strip() for t in v) for k, v in themes.items()
            }

    if "organization_mapping" in raw:
        mapping = raw["organization_mapping"]
        if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and k.strip() and isinstance(v, str) and v.strip()
            for k, v in mapping.items()
        ):
            errors.append(_(
                '"organization_mapping" must map udata organizations (slug or '
                'id) to names of organizations of this portal.'
            ))
        else:
            values["organization_mapping"] = {
                k.strip(): v.strip() for k, v in mapping.items()
            }

    return SourceConfig(**values), errors
