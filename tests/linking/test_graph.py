"""Over all the shared records: shared entities are one node, and nodes link out and across registers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from exporter.normalize.interventions import PRODUCT_FIELDS
from exporter.record import Trial
from exporter.summary import Summary

from .conftest import BASE, PREFIXES, select

# Names as registered that must be one organisation node, found in the fixtures.
ORGANISATION_MERGES = [
    {"Erasmus Medical Center", "ERasmus Medical Center"},
    {"Intellia Therapeutics Inc.", "Intellia Therapeutics, Inc."},
    {"Melinta Therapeutics, Inc.", "Melinta Therapeutics, Inc.,"},
    {"First Hospital of Jilin University", "The First Hospital of Jilin University"},
    {"AstraZeneca", "AstraZeneca AB", "AstraZeneca S.p.A."},  # legal forms of national companies are dropped
]
# Names in the fixtures that look alike but must stay apart: telling them together would be a guess.
ORGANISATION_NON_MERGES = [
    {"Themis Bioscience GmbH", "Themis Biosience GmbH"},
    {"UMCG", "Universitair Medisch Centrum Groningen"},
    {"UMC Utrecht", "University Medical Center Utrecht"},
    {"Sixth Affiliated Hospital, Sun Yat-sen University", "The Sixth Affiliated Hospital of Sun Yat-sen University"},
    {"Novartis Pharma GmbH", "Novartis Pharma Services AG"},
    {"AstraZeneca", "AstraZeneca Korea"},
    {"Fudan University", "Fudan University Shanghai Cancer Center"},
    {"AUSL della Romagna", "AZIENDA UNITÀ SANITARIA LOCALE DELLA ROMAGNA"},
    {"Department of Biotechnology India",
     "Department of Biotechnology, India, 6th-8th Floor, Block 2CGO Complex, Lodhi RoadNew Delhi - 110 003."},
    {"Merck & Co., Inc.", "Merck KGaA, Darmstadt, Germany"},
]


def nodes_labelled(store: ox.Store, cls: str, labels: set[str]) -> set[str]:
    values = " ".join(json.dumps(label, ensure_ascii=False) for label in labels)
    rows = select(store, f"SELECT DISTINCT ?node WHERE {{ VALUES ?label {{ {values} }} ?node a {cls} ; rdfs:label ?label }}")
    return {node for (node,) in rows}


@pytest.mark.parametrize("names", ORGANISATION_MERGES, ids=lambda names: sorted(names)[0])
def test_spellings_of_one_organisation_are_one_node(store: ox.Store, names: set[str]) -> None:
    assert len(nodes_labelled(store, "tg:Organisation", names)) == 1


@pytest.mark.parametrize("names", ORGANISATION_NON_MERGES, ids=lambda names: sorted(names)[0])
def test_different_organisations_are_different_nodes(store: ox.Store, names: set[str]) -> None:
    assert len(nodes_labelled(store, "tg:Organisation", names)) == len(names)


def test_the_summary_counts_names_and_nodes(trials: list[Trial]) -> None:
    summary = Summary()
    for trial in trials:
        summary.record_read(trial)
    merged = sum(len(names) - 1 for names in ORGANISATION_MERGES)
    assert summary.organisation_names - len(summary.organisations) == merged
    assert "organisations: 147 names reconciled into 141 nodes" in summary.report()


def test_each_country_is_one_node_whatever_the_spelling(store: ox.Store, trials: list[Trial]) -> None:
    spellings: dict[str, set[str]] = {}
    for trial in trials:
        for country in trial.countries:
            if country.code:
                spellings.setdefault(country.code, set()).add(country.text)
    assert any(len(texts) > 1 for texts in spellings.values())  # the fixtures do spell countries differently
    rows = select(store, "SELECT DISTINCT ?code ?node WHERE { ?trial tg:country ?node . ?node tg:alpha2 ?code }")
    assert sorted(code for code, _ in rows) == sorted(spellings)
    assert all(node == f"{BASE}country/{code}" for code, node in rows)


def test_spellings_of_one_condition_are_one_node(store: ox.Store) -> None:
    labels = {"Non-small Cell Lung Cancer", "Non-Small Cell Lung Cancer", "Non Small Cell Lung Cancer"}
    assert len(nodes_labelled(store, "tg:Condition", labels)) == 1
    trials = select(store, f"SELECT DISTINCT ?t WHERE {{ ?t tg:condition <{BASE}condition/non-small-cell-lung-cancer> }}")
    assert len(trials) == 5


def test_different_conditions_stay_apart_and_meet_at_their_mesh_descriptor(store: ox.Store) -> None:
    apart = {"Locally Advanced Rectal Adenocarcinoma", "Locally advanced rectal cancer"}
    assert len(nodes_labelled(store, "tg:Condition", apart)) == 2
    rows = select(store, """SELECT DISTINCT ?node WHERE {
        ?node a tg:Condition ; skos:exactMatch <http://id.nlm.nih.gov/mesh/D007405> }""")
    assert {node for (node,) in rows} == {
        f"{BASE}condition/disk-herniated", f"{BASE}condition/intervertebral-disc-displacement"}


# A trial by any of its ids: the trials that carry the id, every trial linked to them, and their records.
RECORDS_BY_ID = """
SELECT DISTINCT ?record WHERE {
    VALUES ?id { %s }
    ?named (tg:primaryIdentifier|tg:secondaryIdentifier)/schema:value ?id .
    ?named (tg:sameTrialAs|^tg:sameTrialAs)* ?trial .
    ?record tg:describes ?trial .
}"""


def records_by_id(store: ox.Store, identifier: str) -> set[str]:
    return {record for (record,) in select(store, RECORDS_BY_ID % json.dumps(identifier))}


@pytest.mark.parametrize(
    ("identifier", "records"),
    [
        # jRCT and the Dutch register both cite the same NCT and EudraCT numbers; no record of the NCT id itself
        ("NCT04136184", {"ictrp/JPRN-jRCT2071210009", "ictrp/NL-OMON55279"}),
        ("2019-001698-10", {"ictrp/JPRN-jRCT2071210009", "ictrp/NL-OMON55279"}),
        ("JPRN-jRCT2071210009", {"ictrp/JPRN-jRCT2071210009", "ictrp/NL-OMON55279"}),
        # EUCTR's per-country records are records of one trial
        ("EUCTR2021-000037-14-PL",
         {"ictrp/EUCTR2021-000037-14-ES", "ictrp/EUCTR2021-000037-14-PL", "ictrp/EUCTR2021-000037-14-PT"}),
        # one trial, two ICTRP exports and the CT.gov-shaped id
        ("ChiCTR2000029935", {"ictrp/ChiCTR2000029935"}),
    ],
)
def test_a_trial_is_found_by_any_of_its_ids_with_all_its_records(
    store: ox.Store, identifier: str, records: set[str]
) -> None:
    assert records_by_id(store, identifier) == {f"{BASE}record/{record}" for record in records}


@pytest.mark.parametrize(
    ("trial", "other"),
    [
        ("jrct/jRCT2071210009", "nct/NCT04136184"),
        ("nlomon/NL-OMON55279", "nct/NCT04136184"),
        ("nlomon/NL-OMON55279", "eudract/2019-001698-10"),  # from an EUCTR per-country id
        ("drks/DRKS00017475", "nct/NCT03869385"),
        ("per/PER-016-17", "eudract/2015-003026-14"),
        ("ctis/2023-507106-13-00", "nct/NCT06304597"),
        ("nct/NCT04032171", "eudract/2018-004700-19"),  # an ICTRP bridged record
        ("jrct/jRCTs051180199", "umin/UMIN000027229"),
    ],
)
def test_records_that_cite_another_registers_id_link_the_trials(store: ox.Store, trial: str, other: str) -> None:
    linked = select(store, f"SELECT ?t WHERE {{ ?t tg:sameTrialAs <{BASE}trial/{other}> }}")
    assert (f"{BASE}trial/{trial}",) in linked


def test_a_trial_is_never_linked_to_itself(store: ox.Store) -> None:
    assert not select(store, "SELECT ?t WHERE { ?t tg:sameTrialAs ?t }")


def test_every_country_links_to_wikidata_geonames_and_the_eu_authority(store: ox.Store) -> None:
    rows = select(store, """SELECT ?country
        (SAMPLE(?wikidata) AS ?w) (SAMPLE(?geonames) AS ?g) (SAMPLE(?eu) AS ?e) WHERE {
        ?country a tg:Country .
        OPTIONAL { ?country owl:sameAs ?wikidata FILTER STRSTARTS(STR(?wikidata), "http://www.wikidata.org/entity/Q") }
        OPTIONAL { ?country owl:sameAs ?geonames FILTER STRSTARTS(STR(?geonames), "https://sws.geonames.org/") }
        OPTIONAL { ?country skos:exactMatch ?eu
                   FILTER STRSTARTS(STR(?eu), "http://publications.europa.eu/resource/authority/country/") }
    } GROUP BY ?country""")
    assert len(rows) > 20
    assert all(wikidata and geonames and eu for _, wikidata, geonames, eu in rows), rows
    links = {country: (w, g, e) for country, w, g, e in rows}
    assert links[f"{BASE}country/NL"] == (
        "http://www.wikidata.org/entity/Q55", "https://sws.geonames.org/2750405/",
        "http://publications.europa.eu/resource/authority/country/NLD")


def ctgov_studies_with_mesh(fixtures: Path) -> dict[str, set[str]]:
    """NCT id → the MeSH UIs its ClinicalTrials.gov source lists for its conditions and interventions."""
    found: dict[str, set[str]] = {}
    for path in sorted((fixtures / "ctgov-json").glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for study in document.get("studies", [document]):
            derived = study.get("derivedSection", {})
            uis = {mesh["id"] for module in ("conditionBrowseModule", "interventionBrowseModule")
                   for mesh in derived.get(module, {}).get("meshes", [])}
            if uis:
                found[study["protocolSection"]["identificationModule"]["nctId"]] = uis
    return found


def test_mesh_links_appear_for_every_ctgov_study_whose_source_has_mesh_ids(store: ox.Store, fixtures: Path) -> None:
    studies = ctgov_studies_with_mesh(fixtures)
    assert len(studies) == 15
    rows = select(store, """SELECT DISTINCT ?trial WHERE {
        ?record tg:describes ?trial ; tg:sourceFormat "ctgov-json" .
        { ?trial tg:condition|tg:intervention ?node . ?node skos:exactMatch ?mesh }
        UNION { ?trial tg:interventionMeshDescriptor ?mesh }
        FILTER STRSTARTS(STR(?mesh), "http://id.nlm.nih.gov/mesh/") }""")
    linked = {trial.rsplit("/", 1)[1] for (trial,) in rows}
    assert linked == set(studies)


def test_each_mesh_link_says_how_it_was_made(store: ox.Store) -> None:
    rows = select(store, """SELECT ?node ?mesh ?method WHERE {
        ?node skos:exactMatch ?mesh FILTER STRSTARTS(STR(?mesh), "http://id.nlm.nih.gov/mesh/")
        OPTIONAL { ?axiom owl:annotatedSource ?node ; owl:annotatedProperty skos:exactMatch ;
                          owl:annotatedTarget ?mesh ; tg:linkMethod ?method } }""")
    methods = {method.rsplit("#", 1)[1] for _, _, method in rows}
    assert methods == {"FromIdentifier", "ExactLabel"}
    mesh = {m for _, m, _ in rows}
    assert "http://id.nlm.nih.gov/mesh/D003876" in mesh  # given as D000003876: published as D003876
    assert all(len(m.rsplit("/", 1)[1]) in (7, 10) for m in mesh)


def test_trials_link_to_their_registry_page_and_ictrp(store: ox.Store) -> None:
    pages = {page for (page,) in select(store, f"SELECT ?page WHERE {{ <{BASE}trial/ctri/CTRI%2F2019%2F02%2F017575> rdfs:seeAlso ?page }}")}
    assert pages == {"http://www.ctri.nic.in/Clinicaltrials/pmaindet2.php?trialid=31281",
                     "https://trialsearch.who.int/Trial2.aspx?TrialID=CTRI%2F2019%2F02%2F017575"}


def test_each_record_says_which_run_of_which_exporter_made_it(store: ox.Store) -> None:
    assert not select(store, "SELECT ?r WHERE { ?r a tg:SourceRecord FILTER NOT EXISTS { ?r prov:wasGeneratedBy ?run } }")
    runs = select(store, """SELECT DISTINCT ?run ?agent WHERE {
        ?run a prov:Activity ; prov:wasAssociatedWith ?agent . ?agent a prov:SoftwareAgent }""")
    assert runs == [(f"{BASE}export/test/20240101T000000Z", f"{BASE}exporter/test")]


def test_euctr_products_are_interventions_and_their_fields_are_not(store: ox.Store) -> None:
    """EUCTR lists each product's fields a line: the product is the intervention, named by its INN."""
    labels = {label for (label,) in select(store, "SELECT DISTINCT ?label { ?i a tg:Intervention ; rdfs:label ?label }")}
    assert not {label for label in labels if label.split(":")[0] in PRODUCT_FIELDS}
    shared = select(store, """SELECT ?label (COUNT(DISTINCT ?trial) AS ?n) {
        ?trial tg:intervention ?i . ?i rdfs:label ?label . FILTER(?label IN ("BIRTAMIMAB", "Placebo")) }
        GROUP BY ?label ORDER BY ?label""")
    assert shared[0] == ("BIRTAMIMAB", "1")  # the three country records of EUCTR2021-000037-14 are one trial
    assert int(shared[1][1]) >= 4


# Lines of CTRI's, JPRN's and CRIS's intervention fields that only describe an intervention or label it.
_FORM_LINE = re.compile(r"(?:Control )?Intervention(?:\d+:| name)|(?:Route|Frequency|Dose|Dosage|Duration) ?[-:]"
                        r"|Generic name etc|INN of |Therapeutic category code|Dosage and administration"
                        r"|(?:investigational|control) material|(?:volume|number|period|injection route|subject):", re.I)


def test_ctri_jprn_and_cris_interventions_are_nodes_and_their_detail_lines_are_not(store: ox.Store) -> None:
    """CTRI, JPRN and CRIS write one intervention over several lines: the lines describe it, none is a node."""
    labels = {label for (label,) in select(store, "SELECT DISTINCT ?label { ?i a tg:Intervention ; rdfs:label ?label }")}
    assert not {label for label in labels if _FORM_LINE.match(label)}
    assert {"ZYH1", "Pioglitazone", "vutrisiran", "Patisiran", "SNUBH-NM-333(18F)"} <= labels
    zyh1 = select(store, """SELECT (COUNT(DISTINCT ?trial) AS ?n) { ?trial tg:intervention ?i . ?i rdfs:label "ZYH1" }""")
    assert zyh1 == [("3",)]  # CTRI/2009/091/000527, CTRI/2010/091/000107 and CTRI/2010/091/000108
    details = select(store, f"""SELECT ?other ?description {{
        <{BASE}trial/jrct/jRCT2080224769> tg:intervention ?i . ?i rdfs:label "vutrisiran" ;
            schema:alternateName ?other ; schema:description ?description }}""")
    assert details == [("ALN-TTRSC02", "25mg (0.5 mL) of ALN-TTRSC02 administered as a subcutaneous injection once every 3 months")]
    [(cris,)] = select(store, f"SELECT ?d {{ <{BASE}trial/kct/KCT0000379> tg:intervention ?i . ?i schema:description ?d }}")
    assert cris.startswith("radiopharmaceutical; volume: 5~10CC; number: 1; period: once")


# Lines of EUCTR's MedDRA blocks and CTRI's entries, which name no condition of their own.
_CONDITION_FORM_LINE = re.compile(r"MedDRA version\s*:|Level\s*:|Classification code|Term\s*:|System Organ Class"
                                  r"|Health Condition\s*\d+\s*:")


def test_meddra_blocks_and_ctri_entries_are_conditions_and_their_lines_are_not(store: ox.Store) -> None:
    """A block's version or code line, or CTRI's glued entries, as a node would link unrelated trials."""
    labels = {label for (label,) in select(store, "SELECT DISTINCT ?label { ?c a tg:Condition ; rdfs:label ?label }")}
    assert not {label for label in labels if _CONDITION_FORM_LINE.match(label)}
    assert {"Community acquired pneumonia", "Cardiac amyloidosis", "Aortopulmonary septal defect",
            "Ventricular septal defect", "Acute myeloblastic leukemia"} <= labels


def condition_codes(store: ox.Store, identifier: str) -> set[tuple[str, str]]:
    """The (label, classification code) of the coded conditions of the trial with this id."""
    rows = select(store, f"""SELECT DISTINCT ?label ?code {{
        ?trial <http://purl.org/dc/terms/identifier> {json.dumps(identifier)} ; tg:condition ?c .
        ?c rdfs:label ?label ; tg:classificationCode ?code }}""")
    return set(rows)


def test_euctr_conditions_carry_their_meddra_code(store: ox.Store) -> None:
    assert condition_codes(store, "2015-002340-14") == {("Community acquired pneumonia", "10010120")}
    assert condition_codes(store, "2004-002160-22") == {("Chronic Renal Insufficiency", "10050441")}


def test_a_meddra_code_without_its_term_stays_with_its_record_as_text(store: ox.Store) -> None:
    rows = select(store, """SELECT ?text { ?trial <http://purl.org/dc/terms/identifier> "2004-002160-22" ;
        tg:conditionAsRegistered ?text FILTER(CONTAINS(?text, "10045242")) }""")
    assert len(rows) == 1
    assert not select(store, """SELECT ?c { ?c a tg:Condition ; rdfs:label ?l FILTER(STRSTARTS(?l, "MedDRA ")) }""")


def test_euctr_therapeutic_areas_are_mesh_tree_categories_not_conditions(store: ox.Store) -> None:
    rows = select(store, """SELECT DISTINCT ?code ?label ?top ?topLabel { ?trial tg:therapeuticArea ?area .
        ?area a tg:TherapeuticArea ; skos:notation ?code ; rdfs:label ?label ; skos:broader ?category .
        ?category skos:notation ?top ; rdfs:label ?topLabel }""")
    assert ("C02", "Virus Diseases", "C", "Diseases") in set(rows)
    assert not select(store, """SELECT ?c { ?c a tg:Condition ; rdfs:label ?l FILTER(CONTAINS(?l, "Therapeutic area")) }""")


def test_drks_ctri_and_per_conditions_carry_their_icd10_code(store: ox.Store) -> None:
    assert condition_codes(store, "DRKS00021134") == {("Other viral pneumonia", "J12.8")}
    assert condition_codes(store, "DRKS00032447") == {
        ("Non-neuropathic heredofamilial amyloidosis", "E85.0"), ("Behçet disease", "M35.2")}
    ctri = condition_codes(store, "CTRI/2019/02/017575")
    assert len(ctri) == 18 and ("Aortopulmonary septal defect", "Q21.4") in ctri
    assert condition_codes(store, "PER-016-17") == {("Bacterial pneumonia, unspecified", "J15.9")}


def test_each_code_is_typed_by_its_code_system(store: ox.Store) -> None:
    """A shared condition node may hold codes of two systems: the datatype says which code is whose."""
    systems = dict(select(store, """SELECT ?code (STR(DATATYPE(?code)) AS ?system) {
        ?c a tg:Condition ; tg:classificationCode ?code }"""))
    assert systems["10010120"] == systems["10050441"] == PREFIXES["tg"] + "MedDRACode"
    assert systems["J12.8"] == systems["Q21.4"] == systems["J15.9"] == PREFIXES["tg"] + "ICD10Code"
    assert set(systems.values()) == {PREFIXES["tg"] + "MedDRACode", PREFIXES["tg"] + "ICD10Code"}


def test_a_condition_read_out_of_the_registry_text_keeps_that_text_beside_it(store: ox.Store) -> None:
    def registered(identifier: str) -> set[str]:
        rows = select(store, f"""SELECT DISTINCT ?text {{
            ?trial <http://purl.org/dc/terms/identifier> {json.dumps(identifier)} ; tg:conditionAsRegistered ?text }}""")
        return {text for (text,) in rows}

    assert "Q214- Aortopulmonary septal defect" in registered("CTRI/2019/02/017575")
    assert registered("DRKS00021134") == {"J12.8 - Other viral pneumonia"}
    (block,) = registered("2015-002340-14")  # an EUCTR trial's own id is its EudraCT number
    assert "Classification code: 10010120" in block and "Term: Community acquired pneumonia" in block
    conditions = select(store, 'SELECT ?c { ?t <http://purl.org/dc/terms/identifier> "NCT04044690" ; tg:condition ?c }')
    assert conditions and not registered("NCT04044690")  # its conditions are their names as registered


def test_each_registry_has_a_name_of_its_own(store: ox.Store) -> None:
    """The registries of a network (JPRN's UMIN-CTR, jRCT, JapicCTI...) are told apart by name, as pages and the
    register facet show them: one name, one registry."""
    rows = select(store, "SELECT DISTINCT ?r ?label { ?r a tg:Registry ; rdfs:label ?label }")
    labels = [label for _, label in rows]
    assert len(rows) == len({registry for registry, _ in rows}) == len(set(labels)) > 10
    assert {"JPRN (UMIN)", "JPRN (jRCT)"} <= set(labels) and "JPRN" not in labels
