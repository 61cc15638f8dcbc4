"""The DCAT-AP catalogue data.gouv.fr harvests: RDF profile and catalogue filters."""
