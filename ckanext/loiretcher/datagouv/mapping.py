"""Pure mapping of udata (data.gouv.fr) JSON records to CKAN dataset dicts.

Nothing here touches the network, the database or CKAN's configuration: the
harvester passes what it knows (options, the dataset types that exist) and
gets plain dicts back, with the field names of ``docs/fields.rst``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ckanext.loiretcher.datagouv.client import N_, TranslatableError

__all__ = [
    "CORE_DATASET_FIELDS",
    "DEFAULT_DATASET_TYPE_RULES",
    "FREQUENCIES",
    "LICENSES",
    "MAPPING_VERSION",
    "MappingError",
    "MappingOptions",
    "choose_dataset_type",
    "dataset_name",
    "fingerprint",
    "fit_to_schema",
    "is_removed_at_source",
    "map_dataset",
    "organization_siret",
    "remote_organization",
    "sanitize_markdown",
]

# Bump when the output of map_dataset changes: every harvested dataset is then
# written once more on the next run, even if unchanged at the source.
MAPPING_VERSION = 1

LICENSES = (
    "lov2", "fr-lo", "odc-odbl", "odc-by", "odc-pddl", "cc-by", "cc-by-sa",
    "cc-zero", "other-open", "other-pd", "other-at", "notspecified",
)
# Other spellings seen in udata instances and CKAN portals (lower case).
_LICENSE_ALIASES = {
    "etalab-2.0": "lov2",
    "licence-ouverte-v2.0": "lov2",
    "lo-2.0": "lov2",
    "etalab-1.0": "fr-lo",
    "lo-1.0": "fr-lo",
    "odbl": "odc-odbl",
    "odc-odbl-1.0": "odc-odbl",
    "cc0": "cc-zero",
    "cc0-1.0": "cc-zero",
    "cc-by-4.0": "cc-by",
    "cc-by-sa-4.0": "cc-by-sa",
}
NOT_SPECIFIED = "notspecified"

FREQUENCIES = frozenset((
    "continuous oneMinute fiveMinutes tenMinutes fifteenMinutes thirtyMinutes "
    "hourly bihourly trihourly twelveHours severalTimesADay threeTimesADay "
    "semidaily daily fiveTimesAWeek threeTimesAWeek semiweekly weekly biweekly "
    "threeTimesAMonth semimonthly monthly bimonthly quarterly threeTimesAYear "
    "semiannual annual biennial triennial quadrennial quinquennial decennial "
    "bidecennial tridecennial punctual irregular never notPlanned other unknown"
).split())
_FREQUENCY_ALIASES = {
    "realtime": "continuous",
    "fourTimesADay": "severalTimesADay",
    "fourTimesAWeek": "other",
    "fortnighly": "biweekly",
    "biannual": "semiannual",
}
RESOURCE_TYPES = frozenset(("main", "documentation", "update", "api", "code", "other"))

DEFAULT_DATASET_TYPE = "dataset"
DEFAULT_DATASET_TYPE_RULES: Mapping[str, str] = {
    "scdl/subventions": "subvention",
    "scdl/deliberations": "deliberation",
    "scdl/budget": "budget",
}
SCDL_TYPES = frozenset(DEFAULT_DATASET_TYPE_RULES.values())

# Keys CKAN core stores itself; anything else needs a schema field or goes to
# the extras (see fit_to_schema).
CORE_DATASET_FIELDS = frozenset((
    "id", "name", "title", "notes", "tags", "license_id", "owner_org", "private",
    "type", "groups", "resources", "extras", "url", "version", "author",
    "author_email", "maintainer", "maintainer_email", "state",
))

_OBJECT_ID = re.compile(r"^[0-9a-fA-F]{24}$")
_UUID = re.compile(r"^[0-9a-fA-F-]{32,36}$")
_SIRET = re.compile(r"^\d{14}$")
_NAME_MAX = 100


class MappingError(TranslatableError, ValueError):
    """A udata record that cannot become a CKAN dataset."""


@dataclass(frozen=True)
class MappingOptions:
    """What the mapping needs to know about the harvest source and the portal.

    :param base_url: root of the udata instance (for pages without a URL).
    :param dataset_type_rules: schema name -> dataset type, on top of
        :data:`DEFAULT_DATASET_TYPE_RULES` (``"dataset"`` turns a rule off).
    :param available_types: the dataset types this portal has.
    :param themes: departmental theme name -> udata tags that select it.
    :param groups: CKAN group names every dataset joins.
    """

    base_url: str
    dataset_type_rules: Mapping[str, str] = field(default_factory=dict)
    available_types: frozenset[str] = frozenset({DEFAULT_DATASET_TYPE})
    themes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    groups: Sequence[str] = ()


def map_dataset(record: Any, options: MappingOptions) -> dict[str, Any]:
    """The CKAN dataset dict of a udata dataset record (API v1 shape).

    The result has no ``id``, ``owner_org`` or final ``name``: the harvester
    owns local identity. Resources carry udata's resource ``id``.
    Raises :class:`MappingError` with a readable message on a malformed record.
    """
    if not isinstance(record, dict):
        raise MappingError(N_("The dataset record is not a JSON object."))
    guid = record.get("id")
    if not isinstance(guid, str) or not (_OBJECT_ID.match(guid) or _UUID.match(guid)):
        raise MappingError(
            N_("The dataset record has no valid udata id: %(value)s."),
            value=_show(guid),
        )
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        raise MappingError(N_("Dataset %(guid)s has no title."), guid=guid)
    raw_resources = record.get("resources", [])
    if not isinstance(raw_resources, list):
        raise MappingError(
            N_("Dataset %(guid)s: \"resources\" is not a list."), guid=guid
        )
    slug = record.get("slug") if isinstance(record.get("slug"), str) else None

    package: dict[str, Any] = {
        "name": dataset_name(slug or "", title, guid),
        "title": title.strip(),
        "notes": sanitize_markdown(_text(record.get("description"))),
        "tags": [{"name": t} for t in _tags(record.get("tags"))],
        "private": False,
        "guid": guid,
        "harvest_url": _page_url(record, slug or guid, options.base_url),
        "issued": _datetime(record.get("created_at"), "created_at", guid) or "",
        "modified": _datetime(
            record.get("last_modified") or record.get("last_update"),
            "last_modified", guid,
        ) or "",
    }
    package.update(_license(record.get("license")))
    package["frequency"] = _frequency(record.get("frequency"))
    package.update(_temporal(record.get("temporal_coverage"), guid))
    package["spatial_zones"] = _zones(record.get("spatial"))
    package.update(_contact(record.get("contact_points")))
    package["theme"] = _themes(package["tags"], options.themes)
    if options.groups:
        package["groups"] = [{"name": g} for g in options.groups]

    resources = [
        _resource(raw, position, guid) for position, raw in enumerate(raw_resources)
    ]
    package["resources"] = resources

    schemas = [r["schema_name"] for r in resources if r.get("schema_name")]
    dataset_schema = record.get("schema")
    if isinstance(dataset_schema, dict) and isinstance(dataset_schema.get("name"), str):
        schemas.append(dataset_schema["name"])
    package["type"] = choose_dataset_type(
        schemas, options.dataset_type_rules, options.available_types
    )
    if package["type"] in SCDL_TYPES:
        package.update(_scdl_fields(record, resources, package))
    return _drop_none(package)


def choose_dataset_type(
    schemas: Iterable[str],
    rules: Mapping[str, str] | None = None,
    available: Iterable[str] = (DEFAULT_DATASET_TYPE,),
) -> str:
    """The dataset type of a dataset whose files declare ``schemas`` (in order).

    The first schema with a rule whose type exists on this portal wins; the
    source's ``rules`` override the defaults (SCDL schemas to SCDL types).
    """
    merged = dict(DEFAULT_DATASET_TYPE_RULES)
    merged.update(rules or {})
    existing = set(available)
    for schema in schemas:
        dataset_type = merged.get(schema.strip().lower())
        if dataset_type and dataset_type in existing:
            return dataset_type
    return DEFAULT_DATASET_TYPE


def organization_siret(organization: Any) -> str | None:
    """The SIRET of a udata organization (``business_number_id``), if valid.

    Dataset records do not carry it: it comes from the organization's page.
    """
    value = organization.get("business_number_id") if isinstance(
        organization, dict) else None
    if not isinstance(value, str):
        return None
    value = re.sub(r"[\s.]", "", value)
    if not _SIRET.match(value):
        return None
    # La Poste's establishments follow their own rule instead of Luhn.
    if value.startswith("356000000"):
        return value if sum(map(int, value)) % 5 == 0 else None
    return value if _luhn(value[:9]) and _luhn(value) else None


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def remote_organization(record: Any) -> dict[str, str] | None:
    """``{"id", "slug", "name"}`` of the organization owning a record."""
    org = record.get("organization") if isinstance(record, dict) else None
    if not isinstance(org, dict) or not isinstance(org.get("id"), str):
        return None
    return {
        "id": org["id"],
        "slug": org.get("slug") if isinstance(org.get("slug"), str) else org["id"],
        "name": org.get("name") if isinstance(org.get("name"), str) else org["id"],
    }


def is_removed_at_source(record: Any) -> bool:
    """Deleted or archived at the source: to be removed here too."""
    return isinstance(record, dict) and bool(
        record.get("deleted") or record.get("archived")
    )


def dataset_name(slug: str, title: str = "", guid: str = "") -> str:
    """A valid CKAN name (``[a-z0-9_-]{2,100}``) from a udata slug."""
    for candidate in (slug, title):
        name = _munge(candidate)
        if len(name) >= 2:
            return name
    return _munge(f"dataset-{guid}") or "dataset"


def fingerprint(package: Mapping[str, Any], *context: Any) -> str:
    """A stable digest of what would be written (and of ``context``), to tell
    an unchanged dataset from a changed one without writing it."""
    payload = json.dumps(
        [MAPPING_VERSION, package, list(context)],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def fit_to_schema(
    package: Mapping[str, Any], dataset_fields: Iterable[str] | None
) -> dict[str, Any]:
    """``package`` with every key the dataset schema does not know moved into
    ``extras`` (lists as JSON), so nothing is dropped by validation."""
    known = CORE_DATASET_FIELDS | set(dataset_fields or ())
    fitted: dict[str, Any] = {}
    extras = list(package.get("extras") or [])
    for key, value in package.items():
        if key == "extras":
            continue
        if key in known:
            fitted[key] = value
        elif value not in (None, "", []):
            shown = value if isinstance(value, str) else json.dumps(
                value, ensure_ascii=False, sort_keys=True
            )
            extras.append({"key": key, "value": shown})
    if extras:
        fitted["extras"] = extras
    return fitted


# -- descriptions -------------------------------------------------------------

_SAFE_SCHEMES = frozenset(("http", "https", "mailto", "ftp", "tel"))
_DANGEROUS_ELEMENTS = (
    "script|style|iframe|frame|frameset|object|embed|applet|noscript|template|"
    "svg|math|form|textarea|select|button|xml|base|link|meta|head|title"
)
_ELEMENT_WITH_CONTENT = re.compile(
    rf"<({_DANGEROUS_ELEMENTS})\b[^>]*>.*?</\1\s*>", re.I | re.S
)
_DANGEROUS_TAG = re.compile(rf"</?({_DANGEROUS_ELEMENTS})\b[^>]*>?", re.I)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_BREAK = re.compile(r"<br\s*/?>|</p\s*>", re.I)
# A tag starts with "<" right before its name, as HTML parsers read it.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(\S+).*$", re.M)
_TAG_START = re.compile(r"<(?![A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*>)(?=[A-Za-z/!?])")
_SCHEME_TEXT = re.compile(r"(?i)\b(javascript|vbscript|livescript|data)(\s*):")


def sanitize_markdown(text: str) -> str:
    """Markdown without anything that could run in a browser.

    Raw HTML is removed (scripts, styles, frames and forms with their content,
    other tags keeping their text), and so are links and images whose target
    is not http(s), mailto, ftp, tel or relative, however it is spelled
    (entities, case, spaces). Ordinary markdown is kept as it is.
    """
    if not text:
        return ""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _COMMENT.sub("", text)
    previous = None
    while previous != text:  # nested or split tags: repeat until stable
        previous = text
        text = _ELEMENT_WITH_CONTENT.sub("", text)
        text = _DANGEROUS_TAG.sub("", text)
        text = _BREAK.sub("\n", text)
        text = _TAG.sub("", text)
    text = _AUTOLINK.sub(lambda m: m.group(0) if _safe_url(m.group(1)) else "", text)
    text = _REFERENCE.sub(lambda m: m.group(0) if _safe_url(m.group(1)) else "", text)
    text = _strip_unsafe_inline_links(text)
    text = _SCHEME_TEXT.sub(r"\1\2 :", text)
    # What still looks like the start of a tag (an unclosed one) is escaped;
    # autolinks, checked above, stay.
    text = _TAG_START.sub("&lt;", text)
    return text.strip()


def _safe_url(url: str) -> bool:
    decoded = html.unescape(html.unescape(url))
    decoded = re.sub(r"[\s\x00-\x1f\x7f]+", "", decoded).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", decoded)
    if match is None:
        # Relative link or fragment; "//host" stays on http(s).
        return not re.match(r"^[^/?#]*:", decoded)
    return match.group(1) in _SAFE_SCHEMES


def _strip_unsafe_inline_links(text: str) -> str:
    """Remove ``(target)`` from ``[text](target)``/``![alt](target)`` when the
    target is unsafe, keeping ``[text]``."""
    out: list[str] = []
    position = 0
    while True:
        start = text.find("](", position)
        if start == -1:
            out.append(text[position:])
            return "".join(out)
        end = _closing_paren(text, start + 1)
        if end == -1:  # not a link
            out.append(text[position: start + 2])
            position = start + 2
            continue
        target = text[start + 2: end].strip()
        if target.startswith("<"):
            target = target[1:].split(">", 1)[0]
        else:
            target = target.split()[0] if target.split() else ""
        out.append(text[position: start + 1])
        if _safe_url(target):
            out.append(text[start + 1: end + 1])
        position = end + 1


def _closing_paren(text: str, opening: int) -> int:
    """Index of the parenthesis closing the one at ``opening``, or -1."""
    depth = 0
    index = opening
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        elif text.startswith("\n\n", index):
            return -1
        index += 1
    return -1


# -- fields ------------------------------------------------------------------------


def _resource(raw: Any, position: int, guid: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise MappingError(
            N_("Dataset %(guid)s: resource %(position)s is not a JSON object."),
            guid=guid, position=position + 1,
        )
    url = raw.get("url") or raw.get("latest")
    if not isinstance(url, str) or not url.strip():
        raise MappingError(
            N_("Dataset %(guid)s: resource %(position)s (%(title)s) has no URL."),
            guid=guid, position=position + 1, title=_show(raw.get("title")),
        )
    if not _safe_url(url) or not url.strip().lower().startswith(
        ("http://", "https://", "ftp://")
    ):
        raise MappingError(
            N_("Dataset %(guid)s: resource %(position)s has an invalid URL: "
               "%(url)s."),
            guid=guid, position=position + 1, url=_show(url),
        )
    rid = raw.get("id")
    checksum = _dict(raw.get("checksum"))
    schema = _dict(raw.get("schema"))
    kind = raw.get("type") if raw.get("type") in RESOURCE_TYPES else "other"
    where = f"resources[{position}]"
    resource = {
        "id": rid if isinstance(rid, str) and rid else None,
        "name": _text(raw.get("title")).strip() or f"{position + 1}",
        "description": sanitize_markdown(_text(raw.get("description"))),
        "url": url.strip(),
        "format": _text(raw.get("format")).strip(),
        "mimetype": _text(raw.get("mime")).strip(),
        "size": _size(raw.get("filesize")),
        "hash": _text(checksum.get("value")).strip(),
        "hash_algorithm": _text(checksum.get("type")).strip().lower(),
        "resource_type": kind,
        "created": _datetime(raw.get("created_at"), f"{where}.created_at", guid),
        "last_modified": _datetime(
            raw.get("last_modified"), f"{where}.last_modified", guid
        ),
        "schema_name": _text(schema.get("name")).strip(),
        "schema_version": _text(schema.get("version")).strip(),
    }
    return _drop_none(resource)


def _scdl_fields(
    record: dict[str, Any], resources: list[dict[str, Any]], package: dict[str, Any]
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    rules = {v: k for k, v in DEFAULT_DATASET_TYPE_RULES.items()}
    scdl = rules.get(package["type"])
    for resource in resources:
        if resource.get("schema_name") == scdl:
            fields["scdl_schema"] = scdl
            if resource.get("schema_version"):
                fields["scdl_schema_version"] = resource["schema_version"]
            break
    org = record.get("organization")
    if isinstance(org, dict) and isinstance(org.get("name"), str):
        fields["publisher_name"] = org["name"]
    start = package.get("temporal_start") or package.get("issued")
    if isinstance(start, str) and len(start) >= 4:
        fields["year"] = start[:4]
    return fields


def _license(value: Any) -> dict[str, str]:
    if not isinstance(value, str) or not value.strip():
        return {"license_id": NOT_SPECIFIED, "original_license": ""}
    key = value.strip().lower()
    if key in LICENSES:
        return {"license_id": key, "original_license": ""}
    if key in _LICENSE_ALIASES:
        return {"license_id": _LICENSE_ALIASES[key], "original_license": ""}
    return {"license_id": NOT_SPECIFIED, "original_license": value.strip()}


def _frequency(value: Any) -> str:
    if not isinstance(value, str):
        return "unknown"
    value = _FREQUENCY_ALIASES.get(value, value)
    return value if value in FREQUENCIES else "unknown"


def _temporal(value: Any, guid: str) -> dict[str, str]:
    found = {"temporal_start": "", "temporal_end": ""}
    if not isinstance(value, dict):
        return found
    for key, target in (("start", "temporal_start"), ("end", "temporal_end")):
        parsed = _date(value.get(key), f"temporal_coverage.{key}", guid)
        if parsed:
            found[target] = parsed
    return found


def _zones(value: Any) -> list[str]:
    if not isinstance(value, dict) or not isinstance(value.get("zones"), list):
        return []
    zones: list[str] = []
    for zone in value["zones"]:
        ident = zone.get("id") if isinstance(zone, dict) else zone
        if isinstance(ident, str) and ident.strip() and ident.strip() not in zones:
            zones.append(ident.strip())
    return zones


def _contact(value: Any) -> dict[str, str]:
    if not isinstance(value, list):
        return {"contact_name": "", "contact_email": ""}
    for point in value:
        if not isinstance(point, dict):
            continue
        name = _text(point.get("name")).strip()
        email = _text(point.get("email")).strip()
        if name or email:
            return {"contact_name": name, "contact_email": email}
    return {"contact_name": "", "contact_email": ""}


def _themes(
    tags: list[dict[str, str]], rules: Mapping[str, Sequence[str]]
) -> list[str]:
    names = {t["name"] for t in tags}
    return sorted(theme for theme, wanted in rules.items() if names & set(wanted))


def _tags(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    tags: list[str] = []
    for tag in value:
        if not isinstance(tag, str):
            continue
        tag = re.sub(r"[^\w .-]+", "-", tag.strip(), flags=re.U)[:100].strip()
        if len(tag) >= 2 and tag not in tags:
            tags.append(tag)
    return tags


def _page_url(record: dict[str, Any], slug: str, base_url: str) -> str:
    page = record.get("page")
    if isinstance(page, str) and page.startswith(("http://", "https://")):
        return page
    return f"{base_url.rstrip('/')}/fr/datasets/{slug}/"


def _datetime(value: Any, name: str, guid: str) -> str | None:
    """An ISO datetime as naive UTC (CKAN's convention), or None."""
    parsed = _parsed_datetime(value, name, guid)
    if parsed is None:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return parsed.isoformat()


def _date(value: Any, name: str, guid: str) -> str | None:
    parsed = _parsed_datetime(value, name, guid)
    return None if parsed is None else parsed.date().isoformat()


def _parsed_datetime(value: Any, name: str, guid: str) -> dt.datetime | None:
    """None for an empty value; a MappingError for one that is not a date."""
    if value in (None, ""):
        return None
    parsed = _parse_datetime(value)
    if parsed is None:
        raise MappingError(
            N_("Dataset %(guid)s: invalid date in %(field)s: %(value)s."),
            guid=guid, field=name, value=_show(value),
        )
    return parsed


def _parse_datetime(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _size(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _munge(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9_-]+", "-", text.lower())
    text = re.sub(r"-{2,}", "-", text).strip("-_")
    return text[:_NAME_MAX].rstrip("-_")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:79] + "…"


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    # Empty strings and lists stay: on an update they clear what the source
    # cleared (the portal's schemas keep a stored value for an absent key).
    return {k: v for k, v in values.items() if v is not None}
