"""What the validator tells publishers: translated messages that say what to write.

Every message is an English msgid passed through ``_`` (CKAN's gettext, so the
French catalogue translates it in a request, a job or the CLI); outside any
CKAN context (pure unit tests, the benchmark) ``_`` returns the msgid.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

__all__ = ["ValidationUsageError", "fold"]


def _(msgid: str) -> str:
    """Translate ``msgid`` in the current locale, or return it untranslated."""
    try:
        import ckan.plugins.toolkit as tk

        return tk._(msgid)
    except Exception:  # no CKAN app or request context: keep the English msgid
        return msgid


def N_(msgid: str) -> str:  # noqa: N802 - the name Babel extracts by default
    """Mark ``msgid`` for extraction; translate it later with ``_``."""
    return msgid


class ValidationUsageError(ValueError):
    """The validator cannot run: unknown schema, unreadable file, not a CSV.

    ``str(error)`` is the message in the current locale (French in the portal
    and the CLI, English elsewhere); ``msgid`` and ``params`` let a caller
    translate it again in another context with ``tk._(msgid).format(**params)``.
    """

    def __init__(self, message: str, *, msgid: str = "", **params: Any) -> None:
        super().__init__(message)
        self.msgid = msgid or message
        self.params = params


def usage_error(msgid: str, **params: Any) -> ValidationUsageError:
    """A usage error whose ``msgid`` was marked with ``N_``."""
    return ValidationUsageError(_(msgid).format(**params), msgid=msgid, **params)


def fold(text: str) -> str:
    """Lower case, without accents, with single spaces: for lenient comparisons."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def shorten(value: str, length: int = 60) -> str:
    return value if len(value) <= length else value[: length - 1] + "…"


# ---------------------------------------------------------------------------
# Structure of the file


def encoding_message(encoding: str) -> str:
    if encoding.startswith("utf-16"):
        return _(
            "The file is encoded in UTF-16 but the standard asks for UTF-8: save "
            "it again as \"CSV UTF-8\"."
        )
    return _(
        "The file is encoded in Windows-1252 (or Latin-1) but the standard asks "
        "for UTF-8: save it again as \"CSV UTF-8\" (accented letters would "
        "otherwise be garbled). Its content was checked anyway."
    )


def delimiter_message(delimiter: str) -> str:
    name = {";": _("semicolons"), "\t": _("tabs"), "|": _("vertical bars")}.get(
        delimiter, repr(delimiter)
    )
    return _(
        "The columns are separated by {separator} but the standard asks for "
        "commas: save the file again with the comma as separator. Its content "
        "was checked anyway."
    ).format(separator=name)


def blank_header_message() -> str:
    return _(
        "The file has no header row: its first line must hold the column names "
        "of the schema."
    )


def source_error_message(detail: str) -> str:
    return _(
        "The file could not be read as CSV from this point on ({detail}): check "
        "for an unclosed quote."
    ).format(detail=detail)


def missing_label_message(name: str, required: bool) -> str:
    if required:
        return _(
            "The required column {column} is missing: add a column whose header "
            "is exactly {column}."
        ).format(column=name)
    return _(
        "The column {column} is missing: the standard expects it, even empty; "
        "add a column whose header is exactly {column}."
    ).format(column=name)


def extra_label_message(label: str, suggestion: str | None) -> str:
    if suggestion:
        return _(
            "Unknown column {column}: write its header exactly as {expected}."
        ).format(column=repr(label), expected=suggestion)
    return _(
        "Unknown column {column}: the schema has no such column; remove it or "
        "rename it to one of the schema's columns."
    ).format(column=repr(label))


def blank_label_message(position: int) -> str:
    return _(
        "Column {position} has no header: write the column name in the first "
        "row, or remove the column."
    ).format(position=position)


def duplicate_label_message(label: str) -> str:
    return _(
        "The column {column} appears more than once: keep a single column with "
        "this header."
    ).format(column=label)


def group_missing_message(check: str, present: str, missing: str) -> str:
    return _(
        "Columns {missing} are missing while {present} is present: the check "
        "{check} needs all of them."
    ).format(check=check, present=present, missing=missing)


# ---------------------------------------------------------------------------
# Rows


def blank_row_message() -> str:
    return _("This row is empty: delete it.")


def missing_cell_message(name: str) -> str:
    return _(
        "This row has fewer cells than the header: the cell of column {column} "
        "is missing (add the missing separators, even for empty values)."
    ).format(column=name)


def extra_cell_message(position: int) -> str:
    return _(
        "This row has more cells than the header (cell {position}): remove it, "
        "or put between double quotes a value that contains a separator."
    ).format(position=position)


# ---------------------------------------------------------------------------
# Cells: types


_FRENCH_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_SLASHED_ISO_DATE = re.compile(r"^\s*(\d{4})[/.](\d{1,2})[/.](\d{1,2})\s*$")
_DATETIME = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}")
_COMMA_NUMBER = re.compile(r"^[+-]?[\d\s\u00a0\u202f.]*,\d+$")
_SPACED_NUMBER = re.compile(r"^[+-]?\d{1,3}([\s\u00a0\u202f]\d{3})+(\.\d+)?$")
_CURRENCY = re.compile(r"^[+-]?[\d\s\u00a0\u202f.,]+\s*(€|eur|euros?)$", re.I)
_PERCENT = re.compile(r"^[+-]?[\d\s.,]+\s*%$")

_TRUE_WORDS = {"oui", "yes", "true", "vrai", "1", "o", "y", "x"}
_FALSE_WORDS = {"non", "no", "false", "faux", "0", "n"}


def french_date_to_iso(value: str) -> str | None:
    """``05/12/2016`` -> ``2016-12-05`` (day first, as French publishers write)."""
    match = _FRENCH_DATE.match(value)
    if match:
        day, month, year = match.groups()
        if 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            return f"{year}-{int(month):02d}-{int(day):02d}"
    match = _SLASHED_ISO_DATE.match(value)
    if match:
        year, month, day = match.groups()
        if 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            return f"{year}-{int(month):02d}-{int(day):02d}"
    return None


def _as_number(value: str) -> str | None:
    """A French-written number as the standard wants it, or None."""
    text = value.strip()
    text = re.sub(r"\s*(€|eur|euros?)$", "", text, flags=re.I)
    compact = re.sub(r"[\s\u00a0\u202f]", "", text)
    if "," in compact:
        if compact.count(",") != 1:
            return None
        compact = compact.replace(".", "").replace(",", ".")
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", compact):
        return compact
    return None


def type_message(field: dict[str, Any], value: str) -> str:
    """What to write instead of ``value``, which is not of the field's type."""
    kind = field.get("type", "string")
    name = field["name"]
    if kind == "number":
        fixed = _as_number(value)
        if _COMMA_NUMBER.match(value.strip()) and fixed:
            return _(
                "{value} is not a number as the standard writes it: use a dot as "
                "decimal separator and no spaces: write {fixed}, not {value}."
            ).format(value=value, fixed=fixed)
        if _PERCENT.match(value.strip()):
            return _(
                "{value} is not a number: write the number alone, without the "
                "percent sign."
            ).format(value=value)
        if (_CURRENCY.match(value.strip()) or _SPACED_NUMBER.match(value.strip())) and (
            fixed
        ):
            return _(
                "{value} is not a number: write the digits alone, without spaces "
                "or currency sign: {fixed}."
            ).format(value=value, fixed=fixed)
        return _(
            "{value} is not a number: write digits with a dot as decimal "
            "separator, e.g. 1234.5."
        ).format(value=value)
    if kind == "integer":
        fixed = _as_number(value)
        if fixed is not None and re.fullmatch(r"[+-]?\d+(\.0+)?", fixed):
            return _("{value} is not a whole number: write {fixed}.").format(
                value=value, fixed=fixed.split(".")[0]
            )
        return _(
            "{value} is not a whole number: write digits only, e.g. 42."
        ).format(value=value)
    if kind == "date":
        iso = french_date_to_iso(value)
        if iso:
            return _(
                "{value} is not a date as the standard writes it (YYYY-MM-DD): "
                "write {fixed}."
            ).format(value=value, fixed=iso)
        match = _DATETIME.match(value)
        if match:
            return _(
                "{value} is a date and time: write the date alone, {fixed}."
            ).format(value=value, fixed=match.group(1))
        return _(
            "{value} is not a valid date: write it as YYYY-MM-DD, e.g. 2017-06-27."
        ).format(value=value)
    if kind == "year":
        return _("{value} is not a year: write four digits, e.g. 2018.").format(
            value=value
        )
    if kind == "boolean":
        true_values = field.get("trueValues") or ["true", "True", "TRUE", "1"]
        false_values = field.get("falseValues") or ["false", "False", "FALSE", "0"]
        word = fold(value)
        if word in _TRUE_WORDS:
            return _("{value} is not accepted here: write {fixed}.").format(
                value=value, fixed=true_values[0]
            )
        if word in _FALSE_WORDS:
            return _("{value} is not accepted here: write {fixed}.").format(
                value=value, fixed=false_values[0]
            )
        return _("{value} is not accepted here: write {true} or {false}.").format(
            value=value, true=true_values[0], false=false_values[0]
        )
    if field.get("format") == "uri":
        return _(
            "{value} is not a web address: write the full address, starting with "
            "https://."
        ).format(value=value)
    return _("{value} is not a valid value for {column}.").format(
        value=value, column=name
    )


# ---------------------------------------------------------------------------
# Cells: constraints

_SIRET_PATTERN = r"^\d{14}$"
_PERIOD_PATTERN = (
    r"^[0-9]{4}\-[0-9]{2}\-[0-9]{2}(\/[0-9]{4}\-[0-9]{2}\-[0-9]{2})?$"
)


def required_message(field: dict[str, Any]) -> str:
    return _(
        "The column {column} is required: fill in a value in this row."
    ).format(column=field["name"])


def _period_fix(value: str) -> str | None:
    """``02/03/2017 - 30/05/2017`` -> ``2017-03-02/2017-05-30``."""
    parts = [p for p in re.split(r"\s*(?:/(?=\d{4}-)|_|\s-\s|\s+au\s+|;)\s*", value)]
    if len(parts) == 1:
        parts = re.split(r"\s*[_;]\s*|\s+-\s+", value)
    fixed = []
    for part in parts:
        part = part.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", part):
            fixed.append(part)
            continue
        iso = french_date_to_iso(part)
        if iso is None:
            return None
        fixed.append(iso)
    if 1 <= len(fixed) <= 2 and "/".join(fixed) != value:
        return "/".join(fixed)
    return None


def pattern_message(field: dict[str, Any], value: str) -> str:
    pattern = field.get("constraints", {}).get("pattern", "")
    if pattern == _SIRET_PATTERN:
        digits = re.sub(r"[\s.\u00a0]", "", value)
        if digits.isdigit() and len(digits) == 9:
            return _(
                "{value} is a SIREN (9 digits): write the 14-digit SIRET of the "
                "establishment."
            ).format(value=value)
        if digits.isdigit() and len(digits) == 14:
            return _(
                "Write the SIRET as 14 digits without spaces: {fixed}."
            ).format(fixed=digits)
        return _(
            "{value} is not a SIRET: write the 14 digits of the SIRET, without "
            "spaces."
        ).format(value=value)
    if pattern == _PERIOD_PATTERN:
        fixed = _period_fix(value)
        if fixed:
            return _(
                "{value} is not a date or a period as the standard writes it: "
                "write {fixed}."
            ).format(value=value, fixed=fixed)
        return _(
            "{value} is not a date or a period: write a date as YYYY-MM-DD or a "
            "period as YYYY-MM-DD/YYYY-MM-DD, e.g. 2017-03-14/2018-03-14."
        ).format(value=value)
    if pattern == r"^W\d{9}$":
        return _(
            "{value} is not an RNA number: write W followed by 9 digits, e.g. "
            "W380475558."
        ).format(value=value)
    if pattern == r"^[0-9]{4}(\/[0-9]{4})?$":
        return _(
            "{value} is not a budget year: write a year (2017) or two years "
            "separated by a slash (2017/2018)."
        ).format(value=value)
    if pattern == r"^\d\.\d{1,2}$":
        return _(
            "{value} is not an ACTES matter code: write the level-2 code, e.g. "
            "8.4."
        ).format(value=value)
    example = field.get("example")
    if example:
        return _(
            "{value} does not have the expected form for {column}: write it like "
            "{example}."
        ).format(value=value, column=field["name"], example=example)
    return _(
        "{value} does not have the expected form for {column} ({pattern})."
    ).format(value=value, column=field["name"], pattern=pattern)


def enum_message(field: dict[str, Any], value: str) -> str:
    choices = [str(choice) for choice in field["constraints"]["enum"]]
    folded = fold(value)
    for choice in choices:
        if fold(choice) == folded:
            return _(
                "Write {fixed} exactly (with its accents and in lower case), "
                "not {value}."
            ).format(value=value, fixed=choice)
    return _("{value} is not allowed here: write one of {choices}.").format(
        value=value, choices=", ".join(choices)
    )


def max_length_message(field: dict[str, Any], value: str) -> str:
    return _(
        "This value is {length} characters long: shorten it to at most {limit} "
        "characters."
    ).format(length=len(value), limit=field["constraints"]["maxLength"])


def min_length_message(field: dict[str, Any], value: str) -> str:
    return _(
        "This value is too short: write at least {limit} characters."
    ).format(limit=field["constraints"]["minLength"])


def bound_message(field: dict[str, Any], value: str, name: str) -> str:
    constraints = field["constraints"]
    if field["name"] == "pourcentageSubvention" or (
        "minimum" in constraints and constraints.get("maximum") == 1
    ):
        return _(
            "{value} is outside the allowed range: write the share as a decimal "
            "number between {minimum} and {maximum} (100 percent is written 1, "
            "45 percent is written 0.45)."
        ).format(
            value=value,
            minimum=constraints.get("minimum"),
            maximum=constraints.get("maximum"),
        )
    if name in ("minimum", "exclusiveMinimum"):
        return _("{value} is too small: the minimum is {limit}.").format(
            value=value, limit=constraints[name]
        )
    return _("{value} is too large: the maximum is {limit}.").format(
        value=value, limit=constraints[name]
    )


def constraint_message(field: dict[str, Any], value: str, name: str) -> str:
    if name == "required":
        return required_message(field)
    if name == "pattern":
        return pattern_message(field, value)
    if name == "enum":
        return enum_message(field, value)
    if name == "maxLength":
        return max_length_message(field, value)
    if name == "minLength":
        return min_length_message(field, value)
    return bound_message(field, value, name)


# ---------------------------------------------------------------------------
# SCDL custom checks


def siret_checksum_message(value: str) -> str:
    return _(
        "{value} is not a valid SIRET: its check digit is wrong. Copy the SIRET "
        "from annuaire-entreprises.data.gouv.fr."
    ).format(value=value)


def siret_format_message(value: str) -> str:
    digits = re.sub(r"[\s.\u00a0]", "", value)
    if digits.isdigit() and len(digits) == 9:
        return _(
            "{value} is a SIREN (9 digits): write the 14-digit SIRET of the "
            "establishment."
        ).format(value=value)
    if digits.isdigit() and len(digits) == 14:
        return _("Write the SIRET as 14 digits without spaces: {fixed}.").format(
            fixed=digits
        )
    return _(
        "{value} is not a SIRET: write the 14 digits of the SIRET, without "
        "spaces."
    ).format(value=value)


def one_of_required_message(column1: str, column2: str) -> str:
    return _(
        "{column1} and {column2} are both empty: fill in at least one of them."
    ).format(column1=column1, column2=column2)


def actes_separator_message(value: str) -> str:
    return _(
        "{value} does not follow the ACTES nomenclature: write the matter and the "
        "sub-matter separated by a slash, e.g. Domaines de compétences par "
        "thèmes/Aménagement du territoire."
    ).format(value=value)


def actes_spaces_message(value: str, fixed: str) -> str:
    return _(
        "Remove the spaces around the slash: write {fixed}, not {value}."
    ).format(value=value, fixed=fixed)


def actes_matter_message(matter: str, choices: list[str]) -> str:
    return _(
        "{matter} is not one of the nine ACTES matters: begin with one of {choices}."
    ).format(matter=matter, choices=", ".join(choices))


def year_interval_format_message(value: str, allow_year_only: bool) -> str:
    if allow_year_only:
        return _(
            "{value} is not a year or a year interval: write 2017 or 2017/2018."
        ).format(value=value)
    return _("{value} is not a year interval: write two years, e.g. 2017/2018.").format(
        value=value
    )


def year_interval_order_message(value: str, first: str, second: str) -> str:
    return _(
        "In {value}, the second year must come after the first: write "
        "{fixed}."
    ).format(value=value, fixed=f"{second}/{first}" if second < first else first)


def cohesive_message(column: str, filled: list[str], empty: list[str]) -> str:
    return _(
        "Columns {columns} go together: fill them all in or leave them all "
        "empty ({empty} empty while {filled} filled in)."
    ).format(
        columns=", ".join([column, *[c for c in filled + empty if c != column]]),
        empty=", ".join(empty),
        filled=", ".join(filled),
    )


def compare_message(column: str, op: str, column2: str, value: Any, value2: Any) -> str:
    params = {"column": column, "column2": column2, "value": value, "value2": value2}
    if op == ">=":
        text = _(
            "{column} ({value}) must be greater than or equal to {column2} "
            "({value2})."
        )
    elif op == ">":
        text = _("{column} ({value}) must be greater than {column2} ({value2}).")
    elif op == "<=":
        text = _(
            "{column} ({value}) must be less than or equal to {column2} ({value2})."
        )
    elif op == "<":
        text = _("{column} ({value}) must be less than {column2} ({value2}).")
    elif op == "==":
        text = _("{column} ({value}) must be equal to {column2} ({value2}).")
    else:
        text = _("{column} ({value}) must be different from {column2} ({value2}).")
    return text.format(**params)


def sum_message(column: str, value: Any, columns: list[str], total: Any) -> str:
    return _(
        "{column} ({value}) must equal the sum of {columns} ({total})."
    ).format(column=column, value=value, columns=" + ".join(columns), total=total)
