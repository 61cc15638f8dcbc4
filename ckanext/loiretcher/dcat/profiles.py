"""The ``loiretcher_dcat_ap`` RDF profile: DCAT-AP as data.gouv.fr harvests it.

It runs after ckanext-dcat's ``euro_dcat_ap_3`` profile (``ckanext.dcat.rdf.
profiles = euro_dcat_ap_3 loiretcher_dcat_ap``) and rewrites or adds what the
portal's fields (docs/fields.rst) mean in DCAT-AP: stable identifiers, EU
themes and frequencies, INSEE zones, licences data.gouv.fr recognises, SCDL
schemas, checksums and the publisher's SIRET.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ckan.plugins import toolkit as tk
from ckanext.dcat.profiles import (
    ADMS,
    DCAT,
    DCT,
    FOAF,
    OWL,
    RDF,
    RDFS,
    SKOS,
    SPDX,
    XSD,
    RDFProfile,
)
from ckanext.dcat.utils import publisher_uri_organization_fallback, resource_uri
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.term import Node

from ckanext.loiretcher import config
from ckanext.loiretcher import themes as themes_module
from ckanext.loiretcher.dcat import vocabularies as voc
from ckanext.loiretcher.dcat.fields import conformance, list_value

__all__ = ["LoiretcherDCATAPProfile"]

ADMS_PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
SIRET_DIRECTORY = "https://annuaire-entreprises.data.gouv.fr/etablissement/"


class LoiretcherDCATAPProfile(RDFProfile):
    """Adds the portal's metadata on top of ckanext-dcat's DCAT-AP profile."""

    def parse_dataset(
        self, dataset_dict: dict[str, Any], dataset_ref: Node
    ) -> dict[str, Any]:
        # The portal imports from udata through its own harvester, not from RDF.
        return dataset_dict

    def graph_from_catalog(self, catalog_dict: Any, catalog_ref: Node) -> None:
        self.g.bind("hydra", Namespace("http://www.w3.org/ns/hydra/core#"))
        self._replace(catalog_ref, DCT.language, URIRef(voc.LANGUAGE_FRA))

    def graph_from_dataset(
        self, dataset_dict: dict[str, Any], dataset_ref: Node
    ) -> None:
        # The CKAN id, never the name nor a harvested guid: it never changes,
        # and it is what data.gouv.fr keys its harvested copy on.
        self._replace(dataset_ref, DCT.identifier, Literal(dataset_dict["id"]))
        self._landing_page(dataset_dict, dataset_ref)
        self._themes(dataset_dict, dataset_ref)
        self._frequency(dataset_dict, dataset_ref)
        self._temporal(dataset_dict, dataset_ref)
        self._spatial(dataset_dict, dataset_ref)
        self._replace(dataset_ref, DCT.language, URIRef(voc.LANGUAGE_FRA))
        if not dataset_dict.get("private"):
            self._replace(
                dataset_ref, DCT.accessRights, URIRef(voc.ACCESS_RIGHT_PUBLIC)
            )
            self.g.add(
                (URIRef(voc.ACCESS_RIGHT_PUBLIC), RDF.type, DCT.RightsStatement)
            )
        licence = self._licence(dataset_dict)
        self._replace(dataset_ref, DCT.license, licence)
        self._publisher(dataset_dict, dataset_ref)
        for resource_dict in dataset_dict.get("resources", []):
            self._distribution(dataset_dict, resource_dict, licence)

    # Dataset

    def _landing_page(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        if (dataset_ref, DCAT.landingPage, None) in self.g:
            return
        site_url = tk.config.get("ckan.site_url", "").rstrip("/")
        if site_url and dataset_dict.get("name"):
            page = URIRef(
                f"{site_url}/{dataset_dict.get('type') or 'dataset'}/"
                f"{dataset_dict['name']}"
            )
            self.g.add((dataset_ref, DCAT.landingPage, page))
            self.g.add((page, RDF.type, FOAF.Document))

    def _themes(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        # ckanext-dcat would emit the theme names as (relative) URIs.
        self._remove(dataset_ref, DCAT.theme)
        for name in self._list(dataset_dict, "theme"):
            theme = themes_module.get_theme(str(name))
            if theme is None:
                continue
            uri = URIRef(theme.eu_theme_uri)
            self.g.add((dataset_ref, DCAT.theme, uri))
            self.g.add((uri, RDF.type, SKOS.Concept))

    def _frequency(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        self._remove(dataset_ref, DCT.accrualPeriodicity)
        uri = voc.frequency_uri(self._value(dataset_dict, "frequency"))
        if uri:
            self.g.add((dataset_ref, DCT.accrualPeriodicity, URIRef(uri)))
            self.g.add((URIRef(uri), RDF.type, DCT.Frequency))

    def _temporal(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        start = self._value(dataset_dict, "temporal_start")
        end = self._value(dataset_dict, "temporal_end")
        self._remove(dataset_ref, DCT.temporal)
        if not start and not end:
            return
        period = BNode()
        self.g.add((dataset_ref, DCT.temporal, period))
        self.g.add((period, RDF.type, DCT.PeriodOfTime))
        if start:
            self.g.add((period, DCAT.startDate, Literal(start[:10], datatype=XSD.date)))
        if end:
            self.g.add((period, DCAT.endDate, Literal(end[:10], datatype=XSD.date)))

    def _spatial(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        zones = self._list(dataset_dict, "spatial_zones")
        if zones:
            self._remove(dataset_ref, DCT.spatial)
        for zone in zones:
            parts = voc.zone_parts(str(zone))
            if parts is None:
                continue
            level, code = parts
            uri = voc.zone_uri(str(zone))
            location: Node = URIRef(uri) if uri else BNode()
            self.g.add((dataset_ref, DCT.spatial, location))
            self.g.add((location, RDF.type, DCT.Location))
            self.g.add((location, DCT.identifier, Literal(str(zone))))
            self.g.add((location, SKOS.notation, Literal(code)))
            self.g.add(
                (
                    location,
                    SKOS.prefLabel,
                    Literal(f"{voc.ZONE_LEVELS[level]} {code}", lang="fr"),
                )
            )

    def _licence(self, dataset_dict: dict[str, Any]) -> Node | None:
        license_id = dataset_dict.get("license_id")
        if not license_id or license_id == "notspecified":
            return None
        uri = voc.license_uri(license_id)
        if uri:
            licence: Node = URIRef(uri)
        else:
            # No URL on data.gouv.fr (other-*): it matches the label to its id.
            licence = BNode()
            self.g.add((licence, RDFS.label, Literal(license_id)))
        self.g.add((licence, RDF.type, DCT.LicenseDocument))
        if dataset_dict.get("license_title"):
            self.g.add((licence, DCT.title, Literal(dataset_dict["license_title"])))
        return licence

    def _publisher(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        organization = dataset_dict.get("organization") or {}
        name = self._value(dataset_dict, "publisher_name") or organization.get("title")
        siret = (
            self._value(dataset_dict, "publisher_siret")
            or config.dcat_publisher_siret()
        )
        if not name:
            return
        for old in list(self.g.objects(dataset_ref, DCT.publisher)):
            self.g.remove((dataset_ref, DCT.publisher, old))
            if not any(self.g.subjects(DCT.publisher, old)):
                self.g.remove((old, None, None))
        if siret:
            agent: Node = URIRef(SIRET_DIRECTORY + siret)
        elif organization:
            agent = URIRef(publisher_uri_organization_fallback(dataset_dict))
        else:
            agent = BNode()
        self.g.add((dataset_ref, DCT.publisher, agent))
        if (agent, RDF.type, FOAF.Agent) in self.g:
            return  # already described by another dataset of the catalogue
        self.g.add((agent, RDF.type, FOAF.Agent))
        self.g.add((agent, RDF.type, FOAF.Organization))
        self.g.add((agent, FOAF.name, Literal(name)))
        self.g.add((agent, DCT.type, ADMS_PUBLISHER_TYPE.LocalAuthority))
        self.g.add((ADMS_PUBLISHER_TYPE.LocalAuthority, RDF.type, SKOS.Concept))
        if siret:
            self.g.add((agent, DCT.identifier, Literal(siret)))
            identifier = BNode()
            self.g.add((agent, ADMS.identifier, identifier))
            self.g.add((identifier, RDF.type, ADMS.Identifier))
            self.g.add((identifier, SKOS.notation, Literal(siret)))
            self.g.add((identifier, ADMS.schemaAgency, Literal("INSEE (SIRET)")))
        if organization.get("name") and not self._value(dataset_dict, "publisher_name"):
            site_url = tk.config.get("ckan.site_url", "").rstrip("/")
            self.g.add(
                (
                    agent,
                    FOAF.homepage,
                    URIRef(f"{site_url}/organization/{organization['name']}"),
                )
            )

    # Distributions

    def _distribution(
        self,
        dataset_dict: dict[str, Any],
        resource_dict: dict[str, Any],
        licence: Node | None,
    ) -> None:
        g = self.g
        distribution = URIRef(resource_uri(resource_dict))
        self._replace(distribution, DCT.license, licence)
        self._replace(distribution, DCT.identifier, Literal(resource_dict["id"]))

        url = resource_dict.get("url")
        if url and resource_dict.get("resource_type") != "api":
            self._replace(distribution, DCAT.downloadURL, URIRef(url))
            g.add((URIRef(url), RDF.type, RDFS.Resource))

        fmt = resource_dict.get("format") or ""
        self._remove(distribution, DCAT.mediaType)
        media_type = voc.media_type_uri(resource_dict.get("mimetype"), fmt)
        if media_type:
            g.add((distribution, DCAT.mediaType, URIRef(media_type)))
            g.add((URIRef(media_type), RDF.type, DCT.MediaType))
        self._remove(distribution, DCT["format"])
        file_type = voc.file_type_uri(fmt)
        if file_type:
            g.add((distribution, DCT["format"], URIRef(file_type)))
            g.add((URIRef(file_type), RDF.type, DCT.MediaTypeOrExtent))
        elif fmt:
            g.add((distribution, DCT["format"], Literal(fmt)))

        self._remove(distribution, DCAT.byteSize)
        size = _int(resource_dict.get("size"))
        if size is not None:
            byte_size = Literal(size, datatype=XSD.nonNegativeInteger)
            g.add((distribution, DCAT.byteSize, byte_size))

        self._remove(distribution, SPDX.checksum)
        algorithm = voc.spdx_algorithm(resource_dict.get("hash_algorithm"))
        if resource_dict.get("hash") and algorithm:
            checksum = BNode()
            g.add((distribution, SPDX.checksum, checksum))
            g.add((checksum, RDF.type, SPDX.Checksum))
            g.add((checksum, SPDX.algorithm, SPDX[algorithm]))
            g.add(
                (
                    checksum,
                    SPDX.checksumValue,
                    Literal(resource_dict["hash"].lower(), datatype=XSD.hexBinary),
                )
            )

        self._conforms_to(dataset_dict, resource_dict, distribution)

    def _conforms_to(
        self,
        dataset_dict: dict[str, Any],
        resource_dict: dict[str, Any],
        distribution: Node,
    ) -> None:
        # docs/fields.rst, Conformance: on SCDL datasets only the files the
        # portal found valid; the publisher follows the same rule.
        self._remove(distribution, DCT.conformsTo)
        declared = conformance(resource_dict, dataset_dict)
        if declared is None:
            return
        name, version = declared
        url = voc.schema_url(name, version)
        if not url:
            return
        schema = URIRef(url)
        self._replace(distribution, DCT.conformsTo, schema)
        self.g.add((schema, RDF.type, DCT.Standard))
        self.g.add((schema, DCT.title, Literal(name)))
        self.g.add((schema, OWL.versionInfo, Literal(version)))

    # Graph and dict helpers

    def _remove(self, subject: Node, predicate: URIRef) -> None:
        for old in list(self.g.objects(subject, predicate)):
            self.g.remove((subject, predicate, old))
            if isinstance(old, BNode):
                self.g.remove((old, None, None))

    def _replace(self, subject: Node, predicate: URIRef, value: Node | None) -> None:
        self._remove(subject, predicate)
        if value is not None:
            self.g.add((subject, predicate, value))

    def _value(self, dataset_dict: dict[str, Any], key: str) -> str | None:
        value = self._get_dataset_value(dataset_dict, key)
        return str(value) if value not in (None, "") else None

    def _list(self, dataset_dict: dict[str, Any], key: str) -> Iterable[str]:
        return list_value(self._get_dataset_value(dataset_dict, key))


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None
