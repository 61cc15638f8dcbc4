"""Our JSON Table Schemas say exactly what the published SCDL schemas say."""
from __future__ import annotations

import frictionless
import pytest

from ckanext.loiretcher.validation import SCHEMAS, load_schema, schema_path

SIRET = r"^\d{14}$"

# name: (type, required, other constraints, extra properties), as published on
# schema.data.gouv.fr.
SUBVENTIONS = {
    "nomAttribuant": ("string", True, {}, {}),
    "idAttribuant": ("string", True, {"pattern": SIRET}, {}),
    "dateConvention": ("date", True, {}, {}),
    "referenceDecision": ("string", False, {}, {}),
    "nomBeneficiaire": ("string", True, {}, {}),
    "idBeneficiaire": ("string", False, {}, {}),
    "rnaBeneficiaire": ("string", False, {"pattern": r"^W\d{9}$"}, {}),
    "objet": ("string", True, {"maxLength": 256}, {}),
    "montant": ("number", True, {}, {}),
    "nature": ("string", True, {"enum": [
        "aide en numéraire", "aide en nature", "aide en numéraire;aide en nature",
        "aide en nature;aide en numéraire"]}, {}),
    "conditionsVersement": ("string", True, {"maxLength": 256}, {}),
    "datesPeriodeVersement": ("string", True, {
        "pattern": r"^[0-9]{4}\-[0-9]{2}\-[0-9]{2}(\/[0-9]{4}\-[0-9]{2}\-[0-9]{2})?$"
    }, {}),
    "idRAE": ("string", False, {"maxLength": 5}, {}),
    "notificationUE": ("boolean", True, {}, {"trueValues": ["oui"],
                                             "falseValues": ["non"]}),
    "pourcentageSubvention": ("number", True, {"minimum": 0.01, "maximum": 1}, {}),
    "dispositifAide": ("string", False, {}, {}),
}
DELIBERATIONS = {
    "COLL_NOM": ("string", True, {}, {}),
    "COLL_SIRET": ("string", True, {"pattern": SIRET}, {}),
    "DELIB_ID": ("string", True, {}, {}),
    "DELIB_DATE": ("date", True, {}, {}),
    "DELIB_MATIERE_CODE": ("string", True, {"pattern": r"^\d\.\d{1,2}$"}, {}),
    "DELIB_MATIERE_NOM": ("string", True, {}, {}),
    "DELIB_OBJET": ("string", True, {}, {}),
    "BUDGET_ANNEE": ("string", False, {"pattern": r"^[0-9]{4}(\/[0-9]{4})?$"}, {}),
    "BUDGET_NOM": ("string", False, {}, {}),
    "PREF_ID": ("string", False, {}, {}),
    "PREF_DATE": ("date", False, {}, {}),
    "VOTE_EFFECTIF": ("integer", False, {}, {}),
    "VOTE_REEL": ("integer", False, {}, {}),
    "VOTE_POUR": ("integer", False, {}, {}),
    "VOTE_CONTRE": ("integer", False, {}, {}),
    "VOTE_ABSTENTION": ("integer", False, {}, {}),
    "DELIB_URL": ("string", False, {}, {"format": "uri"}),
}
LENGTH = {"minLength": 1, "maxLength": 9}
BUDGET = {
    "BGT_NATDEC": ("string", True, {"enum": [
        "budget primitif", "budget supplémentaire", "décision modificative",
        "compte administratif"]}, {}),
    "BGT_ANNEE": ("year", True, {}, {}),
    "BGT_SIRET": ("string", True, {"pattern": SIRET}, {}),
    "BGT_NOM": ("string", True, {}, {}),
    "BGT_CONTNAT": ("string", True, LENGTH, {}),
    "BGT_CONTNAT_LABEL": ("string", True, {}, {}),
    "BGT_NATURE": ("string", True, LENGTH, {}),
    "BGT_NATURE_LABEL": ("string", True, {}, {}),
    "BGT_FONCTION": ("string", False, LENGTH, {}),
    "BGT_FONCTION_LABEL": ("string", False, {}, {}),
    "BGT_OPERATION": ("string", False, {}, {}),
    "BGT_SECTION": ("string", True, {"enum": ["investissement", "fonctionnement"]},
                    {}),
    "BGT_OPBUDG": ("string", True, {"enum": ["réel", "ordre"]}, {}),
    "BGT_CODRD": ("string", True, {"enum": ["recette", "dépense"]}, {}),
    **{
        name: ("number", False, {}, {})
        for name in ["BGT_MTREAL", "BGT_MTBUDGPREC", "BGT_MTRARPREC",
                     "BGT_MTPROPNOUV", "BGT_MTPREV", "BGT_CREDOUV", "BGT_MTRAR3112"]
    },
    "BGT_ARTSPE": ("string", False, {"enum": ["non spécialisé", "spécialisé"]}, {}),
}
FIELDS = {"subventions": SUBVENTIONS, "deliberations": DELIBERATIONS,
          "budget": BUDGET}

CUSTOM_CHECKS = {
    "subventions": [
        ("french-siret-value", {"column": "idAttribuant"}),
        ("french-siret-value", {"column": "idBeneficiaire"}),
        ("one-of-required", {"column1": "idBeneficiaire",
                             "column2": "rnaBeneficiaire"}),
    ],
    "deliberations": [
        ("french-siret-value", {"column": "COLL_SIRET"}),
        ("year-interval-value", {"column": "BUDGET_ANNEE", "allow-year-only": "yes"}),
        ("cohesive-columns-value", {"column": "BUDGET_ANNEE",
                                    "othercolumns": ["BUDGET_NOM"]}),
        ("cohesive-columns-value", {"column": "VOTE_EFFECTIF", "othercolumns": [
            "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"]}),
        ("compare-columns-value", {"column": "PREF_DATE", "op": ">=",
                                   "column2": "DELIB_DATE"}),
        ("compare-columns-value", {"column": "VOTE_EFFECTIF", "op": ">=",
                                   "column2": "VOTE_REEL"}),
        ("compare-columns-value", {"column": "VOTE_REEL", "op": ">=",
                                   "column2": "VOTE_POUR"}),
        ("compare-columns-value", {"column": "VOTE_REEL", "op": ">=",
                                   "column2": "VOTE_CONTRE"}),
        ("compare-columns-value", {"column": "VOTE_REEL", "op": ">=",
                                   "column2": "VOTE_ABSTENTION"}),
        ("sum-columns-value", {"column": "VOTE_REEL", "columns": [
            "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"]}),
        ("nomenclature-actes-value", {"column": "DELIB_MATIERE_NOM"}),
    ],
    "budget": [("french-siret-value", {"column": "BGT_SIRET"})],
}


@pytest.mark.parametrize("short", sorted(SCHEMAS))
def test_fields_as_published(short):
    descriptor = load_schema(short)
    assert descriptor["name"] == SCHEMAS[short]["name"]
    assert descriptor["version"] == SCHEMAS[short]["version"]
    assert descriptor["path"] == SCHEMAS[short]["url"]
    expected = FIELDS[short]
    assert [field["name"] for field in descriptor["fields"]] == list(expected)
    for field in descriptor["fields"]:
        kind, required, constraints, extra = expected[field["name"]]
        assert field["type"] == kind, field["name"]
        found = dict(field.get("constraints", {}))
        assert bool(found.pop("required", False)) is required, field["name"]
        assert found == constraints, field["name"]
        for key, value in extra.items():
            assert field[key] == value, field["name"]
        for key in ("format", "trueValues", "falseValues"):
            assert (key in field) == (key in extra), (field["name"], key)
        assert field["title"] and field["description"]


@pytest.mark.parametrize("short", sorted(SCHEMAS))
def test_custom_checks_as_published(short):
    declared = load_schema(short)["custom_checks"]
    assert [(c["name"], c["params"]) for c in declared] == CUSTOM_CHECKS[short]


@pytest.mark.parametrize("short", sorted(SCHEMAS))
def test_frictionless_reads_our_schemas(short):
    schema = frictionless.Schema(str(schema_path(short)))
    assert [field.name for field in schema.fields] == list(FIELDS[short])
    assert schema.missing_values == [""]
