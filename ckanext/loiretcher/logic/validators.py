"""Validators of the portal's metadata fields, all prefixed ``loiretcher_``.

Every message goes through ``tk._`` (the msgid is English; the French
catalogue translates it, French being the portal's default locale). Field
names in the error dicts are the scheming field names of docs/fields.rst.
"""
from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.navl.dictization_functions import Invalid
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey
from ckanext.scheming.validation import scheming_validator

__all__ = [
    "loiretcher_choice",
    "loiretcher_contact_email",
    "loiretcher_default",
    "loiretcher_end_after_start",
    "loiretcher_fixed_value",
    "loiretcher_frequency",
    "loiretcher_iso_date",
    "loiretcher_iso_datetime",
    "loiretcher_json_list",
    "loiretcher_keep_stored",
    "loiretcher_license",
    "loiretcher_multiple_choice",
    "loiretcher_portal_only",
    "loiretcher_siret",
    "loiretcher_year",
    "loiretcher_zone_ids",
]


missing = tk.missing

#: Context key set by the portal's own code (resource validation) when it
#: writes the fields users may never set (``validation_*``, and on SCDL
#: datasets ``schema_name``/``schema_version``).
PORTAL_WRITE = "loiretcher_portal_write"

LA_POSTE_SIREN = "356000000"

#: udata's legacy frequency ids and what they mean today
#: (udata:udata/core/dataset/constants.py).
FREQUENCY_ALIASES = {
    "realtime": "continuous",
    "fourTimesADay": "severalTimesADay",
    "fourTimesAWeek": "other",
    "fortnighly": "biweekly",
    "biannual": "semiannual",
}

#: INSEE codes of the regions (COG since 2016).
REGION_CODES = frozenset(
    {"01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44",
     "52", "53", "75", "76", "84", "93", "94"}
)
_DEPARTEMENT = re.compile(r"^(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-6])$")
_COMMUNE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_ZONE = re.compile(r"^fr:(?P<level>[a-z]+):(?P<code>[0-9A-Za-z]+)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _is_empty(value: Any) -> bool:
    return value is missing or value is None or value == "" or value == []


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum INSEE uses for SIREN and SIRET numbers."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def siret_problem(value: str) -> str | None:
    """Why ``value`` is not a SIRET, or None when it is one."""
    if not re.fullmatch(r"\d{14}", value):
        return tk._(
            "A SIRET is exactly 14 digits (SIREN then NIC), without spaces "
            "or letters."
        )
    siren = value[:9]
    if siren == LA_POSTE_SIREN:
        # La Poste's establishments are numbered outside the Luhn rule: INSEE
        # checks that the digits of their SIRET add up to a multiple of 5.
        if luhn_ok(value) or sum(int(c) for c in value) % 5 == 0:
            return None
        return tk._("This La Poste SIRET has a wrong checksum.")
    if not luhn_ok(siren):
        return tk._(
            "The SIREN (first 9 digits) has a wrong checksum: check for a "
            "mistyped digit."
        )
    if not luhn_ok(value):
        return tk._(
            "The SIRET has a wrong checksum: check the last 5 digits (NIC)."
        )
    return None


def loiretcher_siret(value: Any) -> Any:
    """A SIRET: 14 digits, Luhn on SIREN and SIRET, La Poste's exception.

    Spaces and dots people copy from documents are removed first.
    """
    if _is_empty(value):
        return value
    cleaned = re.sub(r"[\s.]", "", str(value))
    problem = siret_problem(cleaned)
    if problem:
        raise Invalid(problem)
    return cleaned


def zone_problem(zone: str) -> str | None:
    """Why ``zone`` is not a udata zone id we accept, or None."""
    match = _ZONE.match(zone)
    if not match:
        return tk._(
            "“%(zone)s” is not a zone id: write fr:<level>:<INSEE code>, "
            "e.g. fr:departement:41 or fr:commune:41018."
        ) % {"zone": zone}
    level, code = match.group("level"), match.group("code")
    if level == "pays":
        ok = code == "fr"
    elif level == "region":
        ok = code in REGION_CODES
    elif level == "departement":
        ok = bool(_DEPARTEMENT.match(code))
    elif level == "epci":
        ok = bool(re.fullmatch(r"\d{9}", code)) and luhn_ok(code)
    elif level == "commune":
        ok = bool(_COMMUNE.match(code))
    else:
        return tk._(
            "“%(level)s” is not a zone level: use pays, region, departement, "
            "epci or commune."
        ) % {"level": level}
    if ok:
        return None
    expected = {
        "pays": tk._("fr (France)"),
        "region": tk._("a 2-digit INSEE region code such as 24"),
        "departement": tk._("a département code such as 41, 2A or 974"),
        "epci": tk._("the 9-digit SIREN of the EPCI"),
        "commune": tk._("a 5-character INSEE commune code such as 41018"),
    }[level]
    return tk._("“%(zone)s”: the code must be %(expected)s.") % {
        "zone": zone,
        "expected": expected,
    }


def _as_list(value: Any) -> list[str]:
    """A list from a list, a JSON list or a comma/space/newline-separated text."""
    if isinstance(value, (list, tuple)):
        items: Iterable[Any] = value
    else:
        text = str(value).strip()
        if text.startswith("["):
            try:
                loaded = json.loads(text)
            except ValueError as error:
                raise Invalid(tk._("Not a valid list.")) from error
            if not isinstance(loaded, list):
                raise Invalid(tk._("Not a valid list."))
            items = loaded
        else:
            items = re.split(r"[\s,;]+", text)
    out: list[str] = []
    for item in items:
        item = str(item).strip()
        if item and item not in out:
            out.append(item)
    return out


@scheming_validator
def loiretcher_zone_ids(field: dict[str, Any], schema: dict[str, Any]) -> Callable:
    """A list of udata zone ids ``fr:<level>:<code>``, stored as a JSON list.

    An absent field gets the field's ``default``; an empty one stays empty.
    Follow it with ``ignore_missing``.
    """

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
        context: Context,
    ) -> None:
        value = data.get(key, missing)
        if value is missing and field.get("default"):
            value = field["default"]
        if _is_empty(value):
            data[key] = missing
            return
        try:
            zones = _as_list(value)
        except Invalid as error:
            errors[key].append(error.error)
            return
        problems = [p for p in (zone_problem(z) for z in zones) if p]
        if problems:
            errors[key].extend(problems)
            return
        data[key] = json.dumps(zones) if zones else missing

    return validator


def loiretcher_json_list(value: Any) -> Any:
    """Output: a field stored as a JSON list is shown as a list."""
    if isinstance(value, str) and value.startswith("["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def loiretcher_year(value: Any) -> Any:
    """A year ``YYYY`` from 1900 to five years ahead."""
    if _is_empty(value):
        return value
    text = str(value).strip()
    latest = datetime.date.today().year + 5
    if not re.fullmatch(r"\d{4}", text):
        raise Invalid(tk._("Write the year with 4 digits, e.g. 2025."))
    if not 1900 <= int(text) <= latest:
        raise Invalid(
            tk._("The year must be between 1900 and %(latest)s.")
            % {"latest": latest}
        )
    return text


def _parse_date(text: str) -> datetime.date | None:
    if not _ISO_DATE.match(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def loiretcher_iso_date(value: Any) -> Any:
    """A calendar date written ``YYYY-MM-DD``; kept as that text."""
    if _is_empty(value):
        return value
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    if _parse_date(text) is None:
        raise Invalid(
            tk._(
                "“%(value)s” is not a date: write it YYYY-MM-DD, e.g. "
                "2025-03-31."
            )
            % {"value": text}
        )
    return text


def loiretcher_iso_datetime(value: Any) -> Any:
    """An ISO 8601 date or date-time (as udata and DCAT send them)."""
    if _is_empty(value):
        return value
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    text = str(value).strip()
    try:
        datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise Invalid(
            tk._(
                "“%(value)s” is not an ISO 8601 date-time, e.g. "
                "2025-03-31T14:05:00."
            )
            % {"value": text}
        ) from error
    return text


@scheming_validator
def loiretcher_end_after_start(
    field: dict[str, Any], schema: dict[str, Any]
) -> Callable:
    """On the end of a range: end ≥ the field named by ``start_field``.

    The error goes on the end field. Runs whatever order navl visits the two
    keys in: it parses both values itself and says nothing when the start is
    absent or malformed (its own validator reports that).
    """
    start_name = field.get("start_field", "temporal_start")

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
        context: Context,
    ) -> None:
        end = data.get(key)
        start = data.get((*key[:-1], start_name))
        if _is_empty(end) or _is_empty(start) or errors.get(key):
            return
        end_date = _parse_date(str(end))
        start_date = _parse_date(str(start))
        if end_date and start_date and end_date < start_date:
            errors[key].append(
                tk._(
                    "The end date (%(end)s) is before the start date "
                    "(%(start)s)."
                )
                % {"end": end, "start": start}
            )

    return validator


def _choice_values(field: dict[str, Any]) -> list[str]:
    from ckanext.scheming.helpers import scheming_field_choices

    return [str(c["value"]) for c in scheming_field_choices(field) or []]


def _not_a_choice(value: Any, values: list[str]) -> Invalid:
    shown = ", ".join(values[:12]) + (", …" if len(values) > 12 else "")
    return Invalid(
        tk._("“%(value)s” is not an accepted value; use one of: %(values)s.")
        % {"value": value, "values": shown}
    )


@scheming_validator
def loiretcher_choice(field: dict[str, Any], schema: dict[str, Any]) -> Callable:
    """One of the field's ``choices`` (or ``choices_helper``); empty allowed."""

    def validator(value: Any) -> Any:
        if _is_empty(value):
            return value
        values = _choice_values(field)
        if str(value) not in values:
            raise _not_a_choice(value, values)
        return str(value)

    return validator


@scheming_validator
def loiretcher_frequency(
    field: dict[str, Any], schema: dict[str, Any]
) -> Callable:
    """udata's frequency vocabulary; legacy ids become today's ones."""

    def validator(value: Any) -> Any:
        if _is_empty(value):
            return value
        value = FREQUENCY_ALIASES.get(str(value), str(value))
        values = _choice_values(field)
        if value not in values:
            raise _not_a_choice(value, values)
        return value

    return validator


@scheming_validator
def loiretcher_multiple_choice(
    field: dict[str, Any], schema: dict[str, Any]
) -> Callable:
    """Several of the field's choices, stored as a JSON list."""

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
        context: Context,
    ) -> None:
        value = data.get(key, missing)
        if _is_empty(value):
            data[key] = missing
            return
        try:
            chosen = _as_list(value)
        except Invalid as error:
            errors[key].append(error.error)
            return
        values = _choice_values(field)
        wrong = [c for c in chosen if c not in values]
        if wrong:
            errors[key].extend(_not_a_choice(c, values).error for c in wrong)
            return
        data[key] = json.dumps(chosen) if chosen else missing

    return validator


def loiretcher_license(value: Any) -> Any:
    """A licence id of the portal's licence list (data.gouv.fr's ids)."""
    if _is_empty(value):
        return value
    register = model.Package.get_license_register()
    if register.get(str(value)) is None:
        ids = ", ".join(sorted(register.keys()))
        raise Invalid(
            tk._("“%(value)s” is not a licence of this portal; use one of: "
                 "%(ids)s.") % {"value": value, "ids": ids}
        )
    return str(value)


def loiretcher_contact_email(value: Any) -> Any:
    """An e-mail address (one)."""
    if _is_empty(value):
        return value
    text = str(value).strip()
    if not _EMAIL.match(text):
        raise Invalid(
            tk._("“%(value)s” is not an e-mail address.") % {"value": text}
        )
    return text


@scheming_validator
def loiretcher_default(field: dict[str, Any], schema: dict[str, Any]) -> Callable:
    """An absent or empty value becomes the field's ``default``."""
    fallback = field.get("default", missing)

    def validator(value: Any) -> Any:
        return fallback if _is_empty(value) else value

    return validator


@scheming_validator
def loiretcher_fixed_value(
    field: dict[str, Any], schema: dict[str, Any]
) -> Callable:
    """Always the field's ``default``: absent is filled, another value refused.

    The SCDL schema and version are fixed by the dataset type.
    """
    fixed = str(field["default"])

    def validator(value: Any) -> Any:
        if _is_empty(value) or str(value) == fixed:
            return fixed
        raise Invalid(
            tk._("This dataset type always uses “%(fixed)s”.") % {"fixed": fixed}
        )

    return validator


def _stored_package(data: FlattenDataDict) -> model.Package | None:
    package_id = data.get(("id",))
    if _is_empty(package_id):
        return None
    return model.Package.get(str(package_id))


def _stored_value(key: FlattenKey, data: FlattenDataDict) -> Any:
    """The value of ``key`` as stored in the database, or None.

    ``key`` is ``(field,)`` for a dataset field and
    ``("resources", n, field)`` for a resource field.
    """
    if len(key) == 1:
        package = _stored_package(data)
        return package.extras.get(str(key[0])) if package else None
    if len(key) == 3 and key[0] == "resources":
        resource_id = data.get(("resources", key[1], "id"))
        if _is_empty(resource_id):
            return None
        resource = model.Resource.get(str(resource_id))
        if resource is None or resource.state == "deleted":
            return None
        name = str(key[2])
        if name in model.resource_table.c:
            return getattr(resource, name) or None
        return (resource.extras or {}).get(name)
    return None


def loiretcher_keep_stored(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
    context: Context,
) -> None:
    """A field absent from an update keeps its stored value.

    For the fields hidden from the forms (set by the harvester, the publisher
    or the API): saving the web form, which does not carry them, must not
    erase them. Sending an empty value through the API clears the field.
    """
    if data.get(key, missing) is missing:
        stored = _stored_value(key, data)
        if stored is not None:
            data[key] = stored


def loiretcher_portal_only(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
    context: Context,
) -> None:
    """A field only the portal writes (``validation_*``).

    Unless the portal's own code set ``context["loiretcher_portal_write"]``,
    whatever the caller sent is replaced by the stored value, so that a
    ``package_show`` → ``package_update`` round trip keeps it and nobody can
    mark a file valid by hand.
    """
    if context.get(PORTAL_WRITE):
        if _is_empty(data.get(key, missing)):
            data[key] = missing
        return
    stored = _stored_value(key, data)
    data[key] = stored if stored is not None else missing
