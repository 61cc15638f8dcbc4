"""The DCAT-AP catalogue, parsed with rdflib as data.gouv.fr's harvester reads it."""
from __future__ import annotations

import pytest
import rdflib
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action
from rdflib import RDF, XSD, Literal, URIRef

from tests.dcat.conftest import (
    ADMS,
    DCAT,
    DCT,
    FOAF,
    FORMATS,
    HYDRA,
    SKOS,
    SPDX,
    VCARD,
    catalog_ids,
    catalog_marks,
    dataset_node,
    local_path,
    parse,
)
from tests.dcat.portal import (
    DEFAULT_SIRET,
    SCDL,
    TYPES,
    create_dataset,
    csv_file,
    sha256,
)
from tests.validation.builders import siret

pytestmark = catalog_marks

# A valid SIRET other than the schemas' default (Luhn on SIREN and SIRET).
COMMUNE = siret("21410018", "0001")

EU = "http://publications.europa.eu/resource/authority/"
LOV2 = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")


@pytest.mark.parametrize("dataset_type", TYPES)
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_catalogue_describes_every_property(app, dataset_type, fmt):
    organization = factories.Organization(title="Département de Loir-et-Cher")
    dataset = create_dataset(dataset_type, owner_org=organization["id"])

    graph = parse(app.get(f"/catalog.{fmt}"), fmt)
    node = dataset_node(graph, dataset["id"])

    catalog = graph.value(predicate=RDF.type, object=DCAT.Catalog, any=False)
    assert (catalog, DCAT.dataset, node) in graph
    # The identifier is the CKAN id, never the name.
    assert list(graph.objects(node, DCT.identifier)) == [Literal(dataset["id"])]
    assert graph.value(node, DCT.title) == Literal(f"Jeu {dataset_type}")
    assert {str(k) for k in graph.objects(node, DCAT.keyword)} == {
        "finances",
        "département",
    }
    assert list(graph.objects(node, DCAT.theme)) == [URIRef(EU + "data-theme/ECON")]
    assert list(graph.objects(node, DCT.accrualPeriodicity)) == [
        URIRef(EU + "frequency/ANNUAL")
    ]
    assert graph.value(node, DCAT.landingPage) == URIRef(
        f"http://test.ckan.net/{dataset_type}/{dataset['name']}"
    )
    assert graph.value(node, DCT.language) == URIRef(EU + "language/FRA")
    assert graph.value(node, DCT.accessRights) == URIRef(EU + "access-right/PUBLIC")

    # Temporal coverage
    (period,) = graph.objects(node, DCT.temporal)
    assert (period, RDF.type, DCT.PeriodOfTime) in graph
    assert graph.value(period, DCAT.startDate) == Literal(
        "2025-01-01", datatype=XSD.date
    )
    assert graph.value(period, DCAT.endDate) == Literal("2025-12-31", datatype=XSD.date)

    # The INSEE zone
    (zone,) = graph.objects(node, DCT.spatial)
    assert zone == URIRef("https://geo.api.gouv.fr/departements/41")
    assert (zone, RDF.type, DCT.Location) in graph
    assert graph.value(zone, DCT.identifier) == Literal("fr:departement:41")
    assert graph.value(zone, SKOS.notation) == Literal("41")

    # The licence, as data.gouv.fr recognises it
    assert list(graph.objects(node, DCT.license)) == [LOV2]
    assert (LOV2, RDF.type, DCT.LicenseDocument) in graph

    # Contact point
    contact = graph.value(node, DCAT.contactPoint)
    assert graph.value(contact, VCARD.fn) == Literal("Service open data")
    assert graph.value(contact, VCARD.hasEmail) == URIRef(
        "mailto:opendata@example.org"
    )

    # Publisher
    (publisher,) = graph.objects(node, DCT.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    if dataset_type in SCDL:
        # The schema's defaults, as the web form fills them.
        assert dataset["publisher_siret"] == DEFAULT_SIRET
        assert graph.value(publisher, FOAF.name) == Literal(
            "Département de Loir-et-Cher"
        )
        assert graph.value(publisher, DCT.identifier) == Literal(DEFAULT_SIRET)
        identifier = graph.value(publisher, ADMS.identifier)
        assert graph.value(identifier, SKOS.notation) == Literal(DEFAULT_SIRET)
    else:
        assert graph.value(publisher, FOAF.name) == Literal(organization["title"])
        assert graph.value(publisher, DCT.identifier) is None

    # Distributions
    distributions = {
        str(graph.value(d, DCT.identifier)): d
        for d in graph.objects(node, DCAT.distribution)
    }
    assert set(distributions) == {r["id"] for r in dataset["resources"]}
    first = dataset["resources"][0]
    main = distributions[first["id"]]
    assert list(graph.objects(main, DCT.license)) == [LOV2]
    assert graph.value(main, DCAT.downloadURL) == URIRef(first["url"])
    assert graph.value(main, DCAT.mediaType) == URIRef(
        "http://www.iana.org/assignments/media-types/text/csv"
    )
    assert graph.value(main, DCT["format"]) == URIRef(EU + "file-type/CSV")
    checksum = graph.value(main, SPDX.checksum)
    assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    if dataset_type in SCDL:
        # An upload: the portal measured, hashed and validated the file.
        data = csv_file(dataset_type)
        assert first["url"].startswith(
            f"http://test.ckan.net/{dataset_type}/{dataset['id']}/resource/"
        )
        size, digest = len(data), sha256(data)
    else:
        assert first["url"] == "http://test.ckan.net/files/donnees-2025.csv"
        size = 1234
        digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    assert graph.value(main, DCAT.byteSize) == Literal(
        size, datatype=XSD.nonNegativeInteger
    )
    assert graph.value(checksum, SPDX.checksumValue) == Literal(
        digest, datatype=XSD.hexBinary
    )

    if dataset_type in SCDL:
        name, version = SCDL[dataset_type]
        assert (first["validation_status"], first["schema_name"],
                first["schema_version"]) == ("valid", name, version)
        schema = URIRef(
            f"https://schema.data.gouv.fr/schemas/{name}/{version}/schema.json"
        )
        assert list(graph.objects(main, DCT.conformsTo)) == [schema]
        assert (schema, RDF.type, DCT.Standard) in graph
        # A file that failed its checks is not declared conformant.
        second = dataset["resources"][1]
        assert second["validation_status"] == "invalid"
        refused = distributions[second["id"]]
        assert list(graph.objects(refused, DCT.conformsTo)) == []
        assert list(graph.objects(refused, DCT.license)) == [LOV2]
    else:
        assert list(graph.objects(main, DCT.conformsTo)) == []


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_dataset_endpoint_has_the_same_description(app, fmt):
    dataset = create_dataset("subvention")

    graph = parse(app.get(f"/dataset/{dataset['id']}.{fmt}"), fmt)
    node = dataset_node(graph, dataset["id"])
    assert graph.value(node, DCT.accrualPeriodicity) == URIRef(EU + "frequency/ANNUAL")
    assert len(list(graph.objects(node, DCAT.distribution))) == 2
    assert len(list(graph.triples((None, DCT.conformsTo, None)))) == 1

    by_name = parse(app.get(f"/dataset/{dataset['name']}.{fmt}"), fmt)
    assert dataset_node(by_name, dataset["id"]) is not None


@pytest.mark.parametrize(
    ("license_id", "expected"),
    [
        ("odc-odbl", URIRef("http://opendatacommons.org/licenses/odbl/summary/")),
        ("fr-lo", URIRef(
            "https://www.etalab.gouv.fr/wp-content/uploads/2014/05/Licence_Ouverte.pdf"
        )),
        ("other-open", None),
    ],
)
def test_licences_data_gouv_fr_recognises(app, license_id, expected):
    dataset = create_dataset("dataset", license_id=license_id)
    graph = parse(app.get("/catalog.ttl"), "ttl")
    node = dataset_node(graph, dataset["id"])
    (licence,) = graph.objects(node, DCT.license)
    if expected is None:
        # No URL on data.gouv.fr: its licence guesser reads the id in the label.
        assert isinstance(licence, rdflib.BNode)
        assert str(graph.value(licence, rdflib.RDFS.label)) == license_id
    else:
        assert licence == expected
    (distribution,) = graph.objects(node, DCAT.distribution)
    assert graph.value(distribution, DCT.license) == licence


def test_minimal_dataset_gets_the_schema_defaults(app):
    sysadmin = factories.Sysadmin()
    dataset = call_action(
        "package_create", {"user": sysadmin["name"]}, name="minimal", title="Minimal"
    )
    # What the dataset schema fills in when the user gives nothing.
    assert dataset["type"] == "dataset"
    assert (dataset["license_id"], dataset["frequency"]) == ("lov2", "unknown")
    assert dataset["spatial_zones"] == ["fr:departement:41"]

    graph = parse(app.get("/catalog.ttl"), "ttl")
    node = dataset_node(graph, dataset["id"])
    assert list(graph.objects(node, DCT.license)) == [LOV2]
    assert list(graph.objects(node, DCT.spatial)) == [
        URIRef("https://geo.api.gouv.fr/departements/41")
    ]
    assert list(graph.objects(node, DCT.accrualPeriodicity)) == [
        URIRef(EU + "frequency/UNKNOWN")
    ]
    for predicate in (DCT.temporal, DCAT.theme, DCAT.contactPoint, DCAT.distribution):
        assert list(graph.objects(node, predicate)) == []


def test_unspecified_licence_is_left_out(app):
    dataset = create_dataset("dataset", license_id="notspecified")
    graph = parse(app.get("/catalog.ttl"), "ttl")
    node = dataset_node(graph, dataset["id"])
    assert list(graph.objects(node, DCT.license)) == []
    (distribution,) = graph.objects(node, DCAT.distribution)
    assert list(graph.objects(distribution, DCT.license)) == []


def test_private_and_draft_datasets_never_appear(app):
    organization = factories.Organization()
    public = create_dataset("subvention", owner_org=organization["id"])
    private = create_dataset("subvention", owner_org=organization["id"], private=True)
    draft = create_dataset("dataset", owner_org=organization["id"], state="draft")
    assert model.Package.get(draft["id"]).state == "draft"

    for fmt in FORMATS:
        ids = catalog_ids(parse(app.get(f"/catalog.{fmt}"), fmt))
        assert ids == {public["id"]}
        # Not even when asked for through the catalogue's own query options.
        query = f"/catalog.{fmt}?q=id:{private['id']}"
        assert catalog_ids(parse(app.get(query), fmt)) == set()

    for hidden in (private, draft):
        response = app.get(f"/dataset/{hidden['id']}.ttl")
        assert response.status_code in (403, 404)


def _harvest_source():
    sysadmin = factories.Sysadmin()
    return call_action(
        "harvest_source_create",
        {"user": sysadmin["name"]},
        name="udata-source",
        title="data.gouv.fr",
        url="https://www.data.gouv.fr",
        source_type="datagouvfr",
    )


def _harvested_by_ckanext_harvest(source):
    from ckanext.harvest.model import HarvestJob, HarvestObject

    dataset = create_dataset("dataset", title="Moissonné par une source")
    job = HarvestJob(source_id=source["id"])
    job.save()
    HarvestObject(
        guid="remote-1", job=job, harvest_source_id=source["id"],
        package_id=dataset["id"],
        current=True,
    ).save()
    from ckan.lib.search import rebuild

    rebuild(dataset["id"])
    return dataset


def test_harvested_datasets_and_sources_are_left_out_by_default(app):
    own = create_dataset("dataset")
    with_guid = create_dataset("dataset", guid="5f0c7e3b2a1d4c0012345678")
    with_url = create_dataset(
        "dataset", harvest_url="https://www.data.gouv.fr/datasets/abc/"
    )
    source = _harvest_source()
    harvested = _harvested_by_ckanext_harvest(source)

    ids = catalog_ids(parse(app.get("/catalog.ttl"), "ttl"))
    assert ids == {own["id"]}
    assert source["id"] not in ids
    assert {with_guid["id"], with_url["id"], harvested["id"]}.isdisjoint(ids)


@pytest.mark.ckan_config("ckanext.loiretcher.dcat.exclude_harvested", "false")
def test_harvested_datasets_can_be_included(app):
    own = create_dataset("dataset")
    with_guid = create_dataset("dataset", guid="5f0c7e3b2a1d4c0012345678")
    source = _harvest_source()
    harvested = _harvested_by_ckanext_harvest(source)

    graph = parse(app.get("/catalog.ttl"), "ttl")
    # Harvest sources never, whatever the option.
    assert catalog_ids(graph) == {own["id"], with_guid["id"], harvested["id"]}
    # Even a harvested dataset is identified by its CKAN id, not its guid.
    assert dataset_node(graph, with_guid["id"]) is not None


def test_paging_over_250_datasets_with_hydra_next_links(app):
    sysadmin = factories.Sysadmin()
    context = {"user": sysadmin["name"]}
    created = {
        call_action(
            "package_create", dict(context), name=f"jeu-{i:03d}", title=f"Jeu {i}"
        )["id"]
        for i in range(250)
    }

    seen: list[str] = []
    url: str | None = "/catalog.ttl"
    pages = 0
    while url:
        graph = parse(app.get(url), "ttl")
        pages += 1
        ids = catalog_ids(graph)
        assert len(ids) <= 100
        seen.extend(ids)
        (collection,) = graph.subjects(RDF.type, HYDRA.PagedCollection)
        assert int(graph.value(collection, HYDRA.totalItems)) == 250
        following = graph.value(collection, HYDRA.next)
        # data.gouv.fr's DCAT backend follows hydra:next or hydra:nextPage.
        assert following == graph.value(collection, HYDRA.nextPage)
        url = local_path(str(following)) if following else None
        assert pages <= 3

    assert pages == 3
    assert len(seen) == 250
    assert set(seen) == created


@pytest.mark.parametrize("dataset_type", TYPES)
def test_stored_values_of_every_type_reach_the_catalogue(app, dataset_type):
    # The API's other input forms: texts for the lists, a legacy udata
    # frequency id, a SIRET with spaces, a start date alone.
    overrides = {
        "theme": "transports-mobilite, environnement",
        "spatial_zones": "fr:commune:41018 fr:epci:200030385",
        "frequency": "biannual",
        "temporal_start": "2024-07-01",
        "temporal_end": "",
        "contact_name": "Direction des routes",
        "contact_email": "routes@example.org",
    }
    if dataset_type in SCDL:
        overrides.update(publisher_name="Commune de Blois",
                         publisher_siret=f"{COMMUNE[:9]} {COMMUNE[9:]}")
    organization = factories.Organization(title="Agglopolys")
    dataset = create_dataset(dataset_type, owner_org=organization["id"], **overrides)

    # What scheming stored, as package_show gives it (docs/fields.rst).
    assert dataset["theme"] == ["transports-mobilite", "environnement"]
    assert dataset["spatial_zones"] == ["fr:commune:41018", "fr:epci:200030385"]
    assert dataset["frequency"] == "semiannual"
    assert "temporal_end" not in dataset or not dataset["temporal_end"]

    graph = parse(app.get(f"/dataset/{dataset['id']}.ttl"), "ttl")
    node = dataset_node(graph, dataset["id"])
    assert set(graph.objects(node, DCAT.theme)) == {
        URIRef(EU + "data-theme/TRAN"), URIRef(EU + "data-theme/ENVI")
    }
    assert set(graph.objects(node, DCT.spatial)) == {
        URIRef("https://geo.api.gouv.fr/communes/41018"),
        URIRef("https://geo.api.gouv.fr/epcis/200030385"),
    }
    assert list(graph.objects(node, DCT.accrualPeriodicity)) == [
        URIRef(EU + "frequency/ANNUAL_2")
    ]
    (period,) = graph.objects(node, DCT.temporal)
    assert graph.value(period, DCAT.startDate) == Literal(
        "2024-07-01", datatype=XSD.date
    )
    assert graph.value(period, DCAT.endDate) is None
    contact = graph.value(node, DCAT.contactPoint)
    assert graph.value(contact, VCARD.fn) == Literal("Direction des routes")
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:routes@example.org")

    (publisher,) = graph.objects(node, DCT.publisher)
    distributions = {
        str(graph.value(d, DCT.identifier)): d
        for d in graph.objects(node, DCAT.distribution)
    }
    if dataset_type in SCDL:
        assert dataset["publisher_siret"] == COMMUNE
        assert graph.value(publisher, FOAF.name) == Literal("Commune de Blois")
        assert graph.value(publisher, DCT.identifier) == Literal(COMMUNE)
        name, version = SCDL[dataset_type]
        assert (dataset["scdl_schema"], dataset["scdl_schema_version"]) == (
            name, version
        )
        valid, refused = dataset["resources"]
        assert (valid["schema_name"], valid["schema_version"]) == (name, version)
        assert not refused.get("schema_name")
        assert list(graph.objects(distributions[valid["id"]], DCT.conformsTo)) == [
            URIRef(f"https://schema.data.gouv.fr/schemas/{name}/{version}/schema.json")
        ]
        assert list(graph.objects(distributions[refused["id"]], DCT.conformsTo)) == []
        for resource in (valid, refused):
            distribution = distributions[resource["id"]]
            assert resource["hash_algorithm"] == "sha256"
            assert graph.value(
                graph.value(distribution, SPDX.checksum), SPDX.checksumValue
            ) == Literal(resource["hash"], datatype=XSD.hexBinary)
            assert graph.value(distribution, DCAT.byteSize) == Literal(
                resource["size"], datatype=XSD.nonNegativeInteger
            )
    else:
        assert "publisher_siret" not in dataset
        assert graph.value(publisher, FOAF.name) == Literal("Agglopolys")
        assert graph.value(publisher, DCT.identifier) is None


def test_declared_schema_of_a_dataset_file_is_passed_on(app):
    # On a ``dataset``, schema_name/schema_version are what the file's
    # provider declared; the catalogue says so, as the publisher does.
    dataset = create_dataset("dataset")
    sysadmin = factories.Sysadmin()
    resource = call_action(
        "resource_patch", {"user": sysadmin["name"]},
        id=dataset["resources"][0]["id"], schema_name="scdl/subventions",
        schema_version="2.1.1", validation_status="valid",
    )
    # Nobody but the portal sets a validation status.
    assert "validation_status" not in resource

    graph = parse(app.get(f"/dataset/{dataset['id']}.ttl"), "ttl")
    node = dataset_node(graph, dataset["id"])
    (distribution,) = graph.objects(node, DCAT.distribution)
    assert list(graph.objects(distribution, DCT.conformsTo)) == [
        URIRef("https://schema.data.gouv.fr/schemas/scdl/subventions/2.1.1/schema.json")
    ]


def test_a_subvention_file_waiting_for_its_check_is_not_declared(app):
    # A linked CSV file is checked by a background job: until then it is
    # pending and the catalogue claims nothing, whatever the client sent.
    dataset = create_dataset("subvention", files=False)
    sysadmin = factories.Sysadmin()
    resource = call_action(
        "resource_create", {"user": sysadmin["name"]}, package_id=dataset["id"],
        name="Lien", url="http://test.ckan.net/files/subventions.csv", format="CSV",
        schema_name="scdl/subventions", schema_version="2.1.1",
    )
    assert resource["validation_status"] == "pending"
    assert not resource.get("schema_name")

    graph = parse(app.get(f"/dataset/{dataset['id']}.ttl"), "ttl")
    assert list(graph.triples((None, DCT.conformsTo, None))) == []


@pytest.mark.ckan_config("ckanext.loiretcher.dcat.publisher_siret", DEFAULT_SIRET)
def test_portal_siret_for_publishers_without_their_own(app):
    organization = factories.Organization(title="Département de Loir-et-Cher")
    dataset = create_dataset("dataset", owner_org=organization["id"])
    scdl = create_dataset("subvention", publisher_siret=COMMUNE,
                          publisher_name="Commune de Blois")

    graph = parse(app.get("/catalog.ttl"), "ttl")
    (publisher,) = graph.objects(dataset_node(graph, dataset["id"]), DCT.publisher)
    assert publisher == URIRef(
        f"https://annuaire-entreprises.data.gouv.fr/etablissement/{DEFAULT_SIRET}"
    )
    assert graph.value(publisher, DCT.identifier) == Literal(DEFAULT_SIRET)
    # A dataset's own SIRET wins.
    (other,) = graph.objects(dataset_node(graph, scdl["id"]), DCT.publisher)
    assert graph.value(other, DCT.identifier) == Literal(COMMUNE)
