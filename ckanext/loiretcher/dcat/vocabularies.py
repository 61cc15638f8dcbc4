"""Controlled vocabularies of the DCAT-AP catalogue: pure tables, no CKAN needed.

The portal stores data.gouv.fr's own ids (licences, frequencies, zones, as in
docs/fields.rst); the catalogue turns them into the URIs that DCAT-AP asks for
and that data.gouv.fr's DCAT harvester maps back to the same ids.
"""
from __future__ import annotations

__all__ = [
    "ACCESS_RIGHT_PUBLIC",
    "EU_FILE_TYPE_PREFIX",
    "EU_FREQUENCY_PREFIX",
    "FREQUENCY_ALIASES",
    "FREQUENCY_TO_EU",
    "IANA_MEDIA_TYPE_PREFIX",
    "LANGUAGE_FRA",
    "LICENSE_URIS",
    "SCHEMA_BASE_URL",
    "SPDX_ALGORITHMS",
    "ZONE_LEVELS",
    "file_type_uri",
    "frequency_uri",
    "license_uri",
    "media_type_uri",
    "schema_url",
    "spdx_algorithm",
    "zone_parts",
    "zone_uri",
]

EU_FREQUENCY_PREFIX = "http://publications.europa.eu/resource/authority/frequency/"
EU_FILE_TYPE_PREFIX = "http://publications.europa.eu/resource/authority/file-type/"
IANA_MEDIA_TYPE_PREFIX = "http://www.iana.org/assignments/media-types/"
ACCESS_RIGHT_PUBLIC = (
    "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
)
LANGUAGE_FRA = "http://publications.europa.eu/resource/authority/language/FRA"
SCHEMA_BASE_URL = "https://schema.data.gouv.fr/schemas/"

# udata's UpdateFrequency ids -> EU Frequency authority table codes, the
# reverse of udata's own EUFREQ mapping (udata/core/dataset/rdf.py), so that
# data.gouv.fr reads back the id the portal stores.
FREQUENCY_TO_EU: dict[str, str] = {
    "continuous": "UPDATE_CONT",
    "oneMinute": "1MIN",
    "fiveMinutes": "5MIN",
    "tenMinutes": "10MIN",
    "fifteenMinutes": "15MIN",
    "thirtyMinutes": "30MIN",
    "hourly": "HOURLY",
    "bihourly": "BIHOURLY",
    "trihourly": "TRIHOURLY",
    "twelveHours": "12HRS",
    "severalTimesADay": "CONT",
    "threeTimesADay": "DAILY_3",
    "semidaily": "DAILY_2",
    "daily": "DAILY",
    "fiveTimesAWeek": "WEEKLY_5",
    "threeTimesAWeek": "WEEKLY_3",
    "semiweekly": "WEEKLY_2",
    "weekly": "WEEKLY",
    "biweekly": "BIWEEKLY",
    "threeTimesAMonth": "MONTHLY_3",
    "semimonthly": "MONTHLY_2",
    "monthly": "MONTHLY",
    "bimonthly": "BIMONTHLY",
    "quarterly": "QUARTERLY",
    "threeTimesAYear": "ANNUAL_3",
    "semiannual": "ANNUAL_2",
    "annual": "ANNUAL",
    "biennial": "BIENNIAL",
    "triennial": "TRIENNIAL",
    "quadrennial": "QUADRENNIAL",
    "quinquennial": "QUINQUENNIAL",
    "decennial": "DECENNIAL",
    "bidecennial": "BIDECENNIAL",
    "tridecennial": "TRIDECENNIAL",
    "punctual": "AS_NEEDED",
    "irregular": "IRREG",
    "never": "NEVER",
    "notPlanned": "NOT_PLANNED",
    "other": "OTHER",
    "unknown": "UNKNOWN",
}

# Legacy udata ids still found in old records.
FREQUENCY_ALIASES: dict[str, str] = {
    "realtime": "continuous",
    "fourTimesADay": "severalTimesADay",
    "fourTimesAWeek": "other",
    "fortnighly": "biweekly",
    "biannual": "semiannual",
}

# data.gouv.fr licence ids -> the URL data.gouv.fr lists for the licence (its
# License.guess() matches it back to the id). Ids without a URL there
# (other-*, notspecified) have none.
LICENSE_URIS: dict[str, str] = {
    "lov2": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
    "fr-lo": "https://www.etalab.gouv.fr/wp-content/uploads/2014/05/Licence_Ouverte.pdf",
    "odc-odbl": "http://opendatacommons.org/licenses/odbl/summary/",
    "odc-by": "http://opendatacommons.org/licenses/by/summary/",
    "odc-pddl": "http://opendatacommons.org/licenses/pddl/summary/",
    "cc-by": "http://www.opendefinition.org/licenses/cc-by",
    "cc-by-sa": "http://www.opendefinition.org/licenses/cc-by-sa",
    "cc-zero": "http://www.opendefinition.org/licenses/cc-zero",
}

# Checksum types (docs/fields.rst ``hash_algorithm``) -> SPDX algorithm terms.
SPDX_ALGORITHMS: dict[str, str] = {
    "sha1": "checksumAlgorithm_sha1",
    "sha224": "checksumAlgorithm_sha224",
    "sha256": "checksumAlgorithm_sha256",
    "sha384": "checksumAlgorithm_sha384",
    "sha512": "checksumAlgorithm_sha512",
    "md5": "checksumAlgorithm_md5",
}

# Format labels -> codes of the EU file-type authority table.
_FILE_TYPES: dict[str, str] = {
    "csv": "CSV",
    "json": "JSON",
    "geojson": "GEOJSON",
    "xml": "XML",
    "pdf": "PDF",
    "xls": "XLS",
    "xlsx": "XLSX",
    "ods": "ODS",
    "odt": "ODT",
    "doc": "DOC",
    "docx": "DOCX",
    "zip": "ZIP",
    "txt": "TXT",
    "html": "HTML",
    "shp": "SHP",
    "kml": "KML",
    "gpkg": "GPKG",
    "rdf": "RDF_XML",
    "ttl": "RDF_TURTLE",
    "parquet": "PARQUET",
}

# Media types of the formats above, for resources without a ``mimetype``.
_MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv",
    "json": "application/json",
    "geojson": "application/geo+json",
    "xml": "application/xml",
    "pdf": "application/pdf",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "zip": "application/zip",
    "txt": "text/plain",
    "html": "text/html",
}

# udata zone levels (docs/fields.rst ``spatial_zones``) and their labels.
ZONE_LEVELS: dict[str, str] = {
    "pays": "Pays",
    "region": "Région",
    "departement": "Département",
    "epci": "EPCI",
    "commune": "Commune",
}

# The Etalab API Découpage administratif serves every zone of these levels
# by its INSEE (or SIREN, for EPCIs) code: a stable, resolvable URI.
_GEO_API_PATHS: dict[str, str] = {
    "region": "regions",
    "departement": "departements",
    "epci": "epcis",
    "commune": "communes",
}
GEO_API_URL = "https://geo.api.gouv.fr/"
EU_COUNTRY_FRANCE = "http://publications.europa.eu/resource/authority/country/FRA"


def frequency_uri(frequency: str | None) -> str | None:
    """EU frequency URI of a udata frequency id, or ``None`` if unknown."""
    if not frequency:
        return None
    frequency = FREQUENCY_ALIASES.get(frequency, frequency)
    code = FREQUENCY_TO_EU.get(frequency)
    return EU_FREQUENCY_PREFIX + code if code else None


def license_uri(license_id: str | None) -> str | None:
    """URI data.gouv.fr recognises for a licence id, or ``None`` if it has none."""
    if not license_id:
        return None
    return LICENSE_URIS.get(license_id)


def spdx_algorithm(algorithm: str | None) -> str | None:
    """SPDX term (without namespace) of a checksum type, or ``None``."""
    if not algorithm:
        return None
    return SPDX_ALGORITHMS.get(algorithm.lower().replace("-", ""))


def file_type_uri(fmt: str | None) -> str | None:
    """EU file-type URI of a format label (``CSV``), or ``None`` if unknown."""
    if not fmt:
        return None
    code = _FILE_TYPES.get(fmt.strip().lower().lstrip("."))
    return EU_FILE_TYPE_PREFIX + code if code else None


def media_type_uri(mimetype: str | None, fmt: str | None = None) -> str | None:
    """IANA URI of a media type, guessed from the format when there is none."""
    value = (mimetype or "").split(";")[0].strip().lower()
    if value.startswith(IANA_MEDIA_TYPE_PREFIX):
        return value
    if not value and fmt:
        value = _MEDIA_TYPES.get(fmt.strip().lower().lstrip("."), "")
    if not value or value.count("/") != 1 or " " in value:
        return None
    return IANA_MEDIA_TYPE_PREFIX + value


def schema_url(name: str | None, version: str | None) -> str | None:
    """URL of a Table Schema of schema.data.gouv.fr, e.g. ``scdl/subventions``."""
    if not name or not version:
        return None
    return f"{SCHEMA_BASE_URL}{name.strip('/')}/{version}/schema.json"


def zone_parts(zone: str) -> tuple[str, str] | None:
    """``(level, INSEE code)`` of a udata zone id ``fr:<level>:<code>``."""
    parts = zone.split(":")
    if len(parts) != 3 or parts[0] != "fr" or parts[1] not in ZONE_LEVELS:
        return None
    if not parts[2]:
        return None
    return parts[1], parts[2]


def zone_uri(zone: str) -> str | None:
    """A resolvable URI for a udata zone id, or ``None`` if there is none."""
    parts = zone_parts(zone)
    if parts is None:
        return None
    level, code = parts
    if level == "pays":
        return EU_COUNTRY_FRANCE if code.lower() in ("fr", "fra") else None
    return f"{GEO_API_URL}{_GEO_API_PATHS[level]}/{code}"
