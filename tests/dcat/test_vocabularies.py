"""The vocabulary tables of the catalogue: udata ids -> DCAT-AP URIs."""
from __future__ import annotations

import pytest

from ckanext.loiretcher.dcat import vocabularies as voc

# udata's UpdateFrequency ids (udata/core/dataset/constants.py).
UDATA_FREQUENCIES = (
    "continuous oneMinute fiveMinutes tenMinutes fifteenMinutes thirtyMinutes "
    "hourly bihourly trihourly twelveHours severalTimesADay threeTimesADay "
    "semidaily daily fiveTimesAWeek threeTimesAWeek semiweekly weekly biweekly "
    "threeTimesAMonth semimonthly monthly bimonthly quarterly threeTimesAYear "
    "semiannual annual biennial triennial quadrennial quinquennial decennial "
    "bidecennial tridecennial punctual irregular never notPlanned other unknown"
).split()


def test_every_udata_frequency_has_its_own_eu_uri():
    uris = [voc.frequency_uri(frequency) for frequency in UDATA_FREQUENCIES]
    assert all(uri and uri.startswith(voc.EU_FREQUENCY_PREFIX) for uri in uris)
    # One URI per id, so data.gouv.fr maps each back to the id it came from.
    assert len(set(uris)) == len(UDATA_FREQUENCIES)


@pytest.mark.parametrize(
    ("frequency", "code"),
    [
        ("annual", "ANNUAL"),
        ("punctual", "AS_NEEDED"),
        ("irregular", "IRREG"),
        ("semiannual", "ANNUAL_2"),
        ("biannual", "ANNUAL_2"),  # legacy alias
        ("continuous", "UPDATE_CONT"),
        ("realtime", "UPDATE_CONT"),  # legacy alias
    ],
)
def test_frequency_uri(frequency, code):
    assert voc.frequency_uri(frequency) == voc.EU_FREQUENCY_PREFIX + code


@pytest.mark.parametrize("frequency", [None, "", "sometimes", "ANNUAL"])
def test_unknown_frequency_has_no_uri(frequency):
    assert voc.frequency_uri(frequency) is None


def test_licence_uris():
    assert (
        voc.license_uri("lov2")
        == "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
    )
    for license_id in ("other-open", "other-pd", "other-at", "notspecified", None):
        assert voc.license_uri(license_id) is None


def test_schema_url():
    assert voc.schema_url("scdl/subventions", "2.1.1") == (
        "https://schema.data.gouv.fr/schemas/scdl/subventions/2.1.1/schema.json"
    )
    assert voc.schema_url("scdl/budget", None) is None


@pytest.mark.parametrize(
    ("zone", "uri"),
    [
        ("fr:departement:41", "https://geo.api.gouv.fr/departements/41"),
        ("fr:commune:41018", "https://geo.api.gouv.fr/communes/41018"),
        ("fr:region:24", "https://geo.api.gouv.fr/regions/24"),
        ("fr:epci:200030385", "https://geo.api.gouv.fr/epcis/200030385"),
        ("fr:pays:fr", voc.EU_COUNTRY_FRANCE),
        ("fr:canton:4101", None),
        ("departement:41", None),
    ],
)
def test_zone_uri(zone, uri):
    assert voc.zone_uri(zone) == uri


def test_media_and_file_types():
    iana = voc.IANA_MEDIA_TYPE_PREFIX
    assert voc.media_type_uri("text/csv") == iana + "text/csv"
    assert voc.media_type_uri("text/csv; charset=utf-8") == iana + "text/csv"
    assert voc.media_type_uri(None, "CSV") == iana + "text/csv"
    assert voc.media_type_uri("not a type") is None
    assert voc.file_type_uri("csv") == voc.EU_FILE_TYPE_PREFIX + "CSV"
    assert voc.file_type_uri("exotic") is None


def test_spdx_algorithms():
    assert voc.spdx_algorithm("SHA-256") == "checksumAlgorithm_sha256"
    assert voc.spdx_algorithm("md5") == "checksumAlgorithm_md5"
    assert voc.spdx_algorithm("crc") is None
