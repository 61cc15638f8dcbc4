"""Field validators of the dataset types, through the action API."""
from __future__ import annotations

import datetime
import json
import uuid

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.loiretcher.logic import validators as v

from .dbfixtures import fresh_db  # noqa: F401 (fixture)
from .scdl_csv import luhn_complete

pytestmark = pytest.mark.usefixtures("with_plugins", "fresh_db")


@pytest.fixture
def sysadmin():
    return factories.Sysadmin()


@pytest.fixture
def org():
    return factories.Organization()


def create(sysadmin, org, **fields):
    data = {
        "type": "subvention",
        "name": f"subventions-{uuid.uuid4().hex[:12]}",
        "title": "Subventions 2025",
        "owner_org": org["id"],
        "year": "2025",
    }
    data.update(fields)
    return call_action("package_create", {"user": sysadmin["name"]}, **data)


def errors_of(sysadmin, org, **fields):
    fields.setdefault("name", f"refused-{uuid.uuid4().hex[:12]}")
    with pytest.raises(tk.ValidationError) as info:
        create(sysadmin, org, **fields)
    # Nothing is stored when validation fails.
    assert model.Package.get(fields["name"]) is None
    return info.value.error_dict


# SIRET ----------------------------------------------------------------------


class TestSiret:
    def test_default_is_the_departement_and_passes_the_checksum(self, sysadmin, org):
        dataset = create(sysadmin, org)
        assert dataset["publisher_siret"] == "22410001600019"
        assert v.siret_problem("22410001600019") is None

    def test_spaces_and_dots_are_removed(self, sysadmin, org):
        dataset = create(sysadmin, org, publisher_siret="224 100 016.00019")
        assert dataset["publisher_siret"] == "22410001600019"

    @pytest.mark.parametrize(
        ("value", "words"),
        [
            ("2241000160001", "14 digits"),
            ("2241000160001A", "14 digits"),
            ("22410001700019", "SIREN"),  # SIREN 224100017 fails Luhn
            ("22410001600018", "NIC"),  # SIREN fine, SIRET fails
        ],
    )
    def test_wrong_siret_is_refused_with_its_reason(self, sysadmin, org, value, words):
        errors = errors_of(sysadmin, org, publisher_siret=value)
        assert list(errors) == ["publisher_siret"]
        assert words in errors["publisher_siret"][0]

    def test_la_poste_establishments_use_the_sum_of_digits(self, sysadmin, org):
        # 35600000049837: digits add up to 45, Luhn fails - La Poste's rule.
        assert not v.luhn_ok("35600000049837")
        assert v.siret_problem("35600000049837") is None
        # The head office passes Luhn as well.
        assert v.siret_problem("35600000000048") is None
        dataset = create(sysadmin, org, publisher_siret="35600000049837")
        assert dataset["publisher_siret"] == "35600000049837"

    def test_la_poste_siret_with_a_wrong_sum_is_refused(self, sysadmin, org):
        errors = errors_of(sysadmin, org, publisher_siret="35600000049838")
        assert "La Poste" in errors["publisher_siret"][0]

    def test_a_generated_siret_passes(self):
        siret = luhn_complete(luhn_complete("12345678") + "0001")
        assert v.siret_problem(siret) is None


# Zones --------------------------------------------------------------------


class TestZones:
    def test_default_is_the_departement(self, sysadmin, org):
        assert create(sysadmin, org)["spatial_zones"] == ["fr:departement:41"]

    def test_text_with_commas_becomes_a_list(self, sysadmin, org):
        dataset = create(
            sysadmin, org,
            spatial_zones="fr:commune:41018, fr:commune:41018 fr:region:24",
        )
        assert dataset["spatial_zones"] == ["fr:commune:41018", "fr:region:24"]
        stored = model.Package.get(dataset["id"]).extras["spatial_zones"]
        assert json.loads(stored) == dataset["spatial_zones"]

    @pytest.mark.parametrize(
        "zone",
        ["fr:pays:fr", "fr:region:24", "fr:departement:41", "fr:departement:2A",
         "fr:departement:974", "fr:epci:200030385", "fr:commune:41018",
         "fr:commune:2B033"],
    )
    def test_each_level_accepts_its_codes(self, sysadmin, org, zone):
        assert create(sysadmin, org, spatial_zones=[zone])["spatial_zones"] == [zone]

    @pytest.mark.parametrize(
        ("zone", "words"),
        [
            ("41", "not a zone id"),
            ("fr:canton:4101", "not a zone level"),
            ("fr:region:99", "region code"),
            ("fr:departement:20", "département code"),
            ("fr:departement:96", "département code"),
            ("fr:commune:4101", "commune code"),
            ("fr:epci:200030386", "SIREN"),
            ("fr:pays:de", "France"),
        ],
    )
    def test_wrong_zone_is_refused(self, sysadmin, org, zone, words):
        errors = errors_of(sysadmin, org, spatial_zones=[zone])
        assert list(errors) == ["spatial_zones"]
        assert words in errors["spatial_zones"][0]

    def test_empty_text_means_no_zone(self, sysadmin, org):
        assert "spatial_zones" not in create(sysadmin, org, spatial_zones="")


# Years and dates ----------------------------------------------------------


class TestYearsAndDates:
    def test_year_is_required_on_scdl_types(self, sysadmin, org):
        errors = errors_of(sysadmin, org, year="")
        assert list(errors) == ["year"]

    @pytest.mark.parametrize("year", ["25", "2025a", "1899"])
    def test_wrong_year_is_refused(self, sysadmin, org, year):
        assert list(errors_of(sysadmin, org, year=year)) == ["year"]

    def test_year_more_than_five_years_ahead_is_refused(self, sysadmin, org):
        late = str(datetime.date.today().year + 6)
        assert "between 1900" in errors_of(sysadmin, org, year=late)["year"][0]
        ok = str(datetime.date.today().year + 5)
        assert create(sysadmin, org, year=ok)["year"] == ok

    @pytest.mark.parametrize("value", ["31/03/2025", "2025-02-30", "2025-3-1"])
    def test_wrong_date_is_refused(self, sysadmin, org, value):
        errors = errors_of(sysadmin, org, temporal_start=value)
        assert list(errors) == ["temporal_start"]
        assert "YYYY-MM-DD" in errors["temporal_start"][0]

    def test_end_before_start_is_an_error_on_the_end(self, sysadmin, org):
        errors = errors_of(
            sysadmin, org, temporal_start="2025-06-01", temporal_end="2025-01-31"
        )
        assert list(errors) == ["temporal_end"]
        assert "before the start date" in errors["temporal_end"][0]

    def test_a_one_day_range_is_fine(self, sysadmin, org):
        dataset = create(
            sysadmin, org, temporal_start="2025-06-01", temporal_end="2025-06-01"
        )
        assert (dataset["temporal_start"], dataset["temporal_end"]) == (
            "2025-06-01", "2025-06-01",
        )

    def test_system_datetimes_must_be_iso(self, sysadmin, org):
        errors = errors_of(sysadmin, org, issued="hier", modified="2025-13-01")
        assert set(errors) == {"issued", "modified"}


# Enumerations ---------------------------------------------------------------


class TestEnumerations:
    def test_frequency_defaults_by_type(self, sysadmin, org):
        assert create(sysadmin, org)["frequency"] == "annual"
        dataset = call_action(
            "package_create", {"user": sysadmin["name"]},
            name=f"routes-{uuid.uuid4().hex[:8]}", owner_org=org["id"],
        )
        assert dataset["frequency"] == "unknown"

    def test_legacy_udata_frequency_is_translated(self, sysadmin, org):
        assert create(sysadmin, org, frequency="realtime")["frequency"] == "continuous"
        assert v.FREQUENCY_ALIASES["biannual"] == "semiannual"

    def test_unknown_frequency_is_refused(self, sysadmin, org):
        errors = errors_of(sysadmin, org, frequency="sometimes")
        assert "not an accepted value" in errors["frequency"][0]

    @pytest.mark.parametrize(
        "license_id",
        ["lov2", "fr-lo", "odc-odbl", "odc-by", "odc-pddl", "cc-by", "cc-by-sa",
         "cc-zero", "other-open", "other-pd", "other-at", "notspecified"],
    )
    def test_every_datagouv_licence_is_accepted(self, sysadmin, org, license_id):
        assert create(sysadmin, org, license_id=license_id)["license_id"] == license_id

    def test_licence_defaults_to_lov2_and_unknown_is_refused(self, sysadmin, org):
        assert create(sysadmin, org)["license_id"] == "lov2"
        errors = errors_of(sysadmin, org, license_id="uk-ogl")
        assert "not a licence of this portal" in errors["license_id"][0]

    def test_resource_type_is_one_of_udata_types(self, sysadmin, org):
        errors = errors_of(
            sysadmin, org, resources=[{"url": "http://example.org/a.csv",
                                       "resource_type": "dataset"}]
        )
        assert "resource_type" in errors["resources"][0]

    def test_theme_takes_names_from_themes_yaml(self, sysadmin, org):
        from ckanext.loiretcher import themes

        names = themes.theme_names()[:2]
        dataset = create(sysadmin, org, theme=",".join(names))
        assert dataset["theme"] == list(names)
        errors = errors_of(sysadmin, org, theme=["pas-un-theme"])
        assert "pas-un-theme" in errors["theme"][0]

    def test_scdl_schema_is_fixed_by_the_type(self, sysadmin, org):
        dataset = create(sysadmin, org)
        assert (dataset["scdl_schema"], dataset["scdl_schema_version"]) == (
            "scdl/subventions", "2.1.1",
        )
        errors = errors_of(sysadmin, org, scdl_schema="scdl/budget")
        assert "scdl/subventions" in errors["scdl_schema"][0]

    def test_email_is_checked(self, sysadmin, org):
        errors = errors_of(sysadmin, org, contact_email="opendata(at)41.fr")
        assert list(errors) == ["contact_email"]


def test_every_error_is_named_in_one_call(sysadmin, org):
    errors = errors_of(
        sysadmin, org, year="20x5", publisher_siret="12345678901234",
        temporal_start="2025-05-01", temporal_end="2025-01-01",
        spatial_zones="fr:dep:41", frequency="sometimes", license_id="foo",
    )
    assert set(errors) == {
        "year", "publisher_siret", "temporal_end", "spatial_zones", "frequency",
        "license_id",
    }


# Fields only the harvester, the publisher or the portal write -------------


class TestSystemFields:
    def test_api_sets_them_and_an_update_without_them_keeps_them(self, sysadmin, org):
        dataset = create(
            sysadmin, org, harvest_url="https://www.data.gouv.fr/fr/datasets/x/",
            guid="5f1a", original_license="odc-sa", datagouv_id="65ab",
            issued="2024-01-02T10:00:00", modified="2025-01-02T10:00:00+00:00",
        )
        assert dataset["guid"] == "5f1a"
        updated = call_action(
            "package_update", {"user": sysadmin["name"]},
            **{k: val for k, val in dataset.items()
               if k not in ("harvest_url", "guid", "datagouv_id")},
        )
        assert updated["harvest_url"] == "https://www.data.gouv.fr/fr/datasets/x/"
        assert (updated["guid"], updated["datagouv_id"]) == ("5f1a", "65ab")

    def test_an_empty_value_clears_them(self, sysadmin, org):
        dataset = create(sysadmin, org, guid="5f1a")
        updated = call_action(
            "package_patch", {"user": sysadmin["name"]}, id=dataset["id"], guid=""
        )
        assert "guid" not in updated

    def test_harvest_url_must_be_a_url(self, sysadmin, org):
        assert "harvest_url" in errors_of(sysadmin, org, harvest_url="pas une url")

    def test_validation_fields_cannot_be_set_by_a_user(self, sysadmin, org):
        dataset = create(
            sysadmin, org,
            resources=[{"url": "http://example.org/doc.pdf", "format": "PDF",
                        "validation_status": "valid", "schema_name": "scdl/subventions",
                        "validated_at": "2025-01-01T00:00:00"}],
        )
        resource = dataset["resources"][0]
        for name in ("validation_status", "schema_name", "validated_at"):
            assert name not in resource
        patched = call_action(
            "resource_patch", {"user": sysadmin["name"]}, id=resource["id"],
            validation_status="valid", validation_report={"errors": []},
        )
        assert "validation_status" not in patched
        assert "validation_report" not in patched
