"""Trial identifiers of every scheme, the registries' "no id" values, and the canonical trial id."""

from __future__ import annotations

import pytest

from exporter.normalize.identifiers import BY_NAME, SCHEMES, canonical_trial_id, parse_identifier, scheme_of
from exporter.record import Identifier


@pytest.mark.parametrize(
    ("text", "scheme"),
    [
        pytest.param("NCT04044690", "NCT", id="CT.gov"),
        pytest.param("2020-001039-29", "EudraCT", id="EudraCT-number"),
        pytest.param("EUCTR2021-000037-14-ES", "EUCTR", id="EUCTR-country-record"),
        pytest.param("EUCTR2019-001698-10-NL", "EUCTR", id="EUCTR-in-NL-OMON-secondary-ids"),
        pytest.param("CTIS2023-507385-11-00", "CTIS", id="CTIS-ICTRP-prefix"),
        pytest.param("2022-500014-26-00", "CTIS", id="CTIS-bare"),
        pytest.param("ISRCTN14048364", "ISRCTN", id="ISRCTN"),
        pytest.param("ACTRN12625000115437", "ACTRN", id="ANZCTR"),
        pytest.param("ChiCTR2100045397", "ChiCTR", id="ChiCTR"),
        pytest.param("ChiCTR-TRC-12002341", "ChiCTR", id="ChiCTR-old-TRC"),
        pytest.param("CTRI/2009/091/000527", "CTRI", id="CTRI-old"),
        pytest.param("CTRI/2020/03/023947", "CTRI", id="CTRI"),
        pytest.param("DRKS00040782", "DRKS", id="DRKS"),
        pytest.param("JPRN-jRCT2071210009", "JRCT", id="JPRN-jRCT"),
        pytest.param("jRCTs031180001", "JRCT", id="jRCT-specified-clinical-trial"),
        pytest.param("JPRN-UMIN000040127", "UMIN", id="JPRN-UMIN"),
        pytest.param("UMIN000027229", "UMIN", id="UMIN-in-secondary-ids"),
        pytest.param("JPRN-JapicCTI-205171", "JAPIC", id="JPRN-JapicCTI"),
        pytest.param("KCT0000379", "KCT", id="CRIS"),
        pytest.param("IRCT20200318046812N1", "IRCT", id="IRCT"),
        pytest.param("PACTR202001123456789", "PACTR", id="PACTR"),
        pytest.param("NL-OMON55279", "NLOMON", id="NL-OMON"),
        pytest.param("NTR1234", "NTR", id="NTR"),
        pytest.param("NL8454", "NTR", id="NTR-NL-number"),
        pytest.param("TCTR20190109001", "TCTR", id="TCTR"),
        pytest.param("RBR-8p8ks7", "RBR", id="ReBec"),
        pytest.param("PER-021-20", "PER", id="REPEC"),
        pytest.param("SLCTR/2017/001", "SLCTR", id="SLCTR"),
        pytest.param("LBCTR2018120174", "LBCTR", id="LBCTR"),
        pytest.param("RPCEC00000123", "RPCEC", id="RPCEC"),
        pytest.param("U1111-1296-5487", "UTN", id="CTIS-secondary-UTN"),
    ],
)
def test_registry_ids(text: str, scheme: str) -> None:
    assert parse_identifier(text) == Identifier(text, scheme)
    assert scheme_of(text) == scheme


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("chictr2000029953", Identifier("ChiCTR2000029953", "ChiCTR", "chictr2000029953"),
                     id="ChiCTR-lower-case"),
        pytest.param("nct04044690", Identifier("NCT04044690", "NCT", "nct04044690"), id="NCT-lower-case"),
        pytest.param("EudraCT No: 2020-001039-29",
                     Identifier("2020-001039-29", "EudraCT", "EudraCT No: 2020-001039-29"), id="EudraCT-labelled"),
        pytest.param(" NCT04044690\n    ", Identifier("NCT04044690", "NCT"), id="XML-2024-padding-is-not-a-change"),
    ],
)
def test_ids_are_spelled_as_the_register_does_keeping_the_original(text: str, expected: Identifier) -> None:
    assert parse_identifier(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("MHREC 1554", id="ISRCTN-ethics-number"),
        pytest.param("IgPro20_3007", id="CT.gov-sponsor-protocol"),
        pytest.param("NL73848.000.21", id="NL-OMON-CCMO-number"),
        pytest.param("Número parecer 337.287/2013", id="ReBec-Portuguese"),
        pytest.param("07364612.5.0000.5071", id="ReBec-CAAE"),
        pytest.param("2018-1227", id="REPEC-local"),
    ],
)
def test_ids_of_no_known_scheme_are_kept(text: str) -> None:
    assert parse_identifier(text) == Identifier(text, None)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Nil known", id="ISRCTN"),
        pytest.param("Nil Known", id="ANZCTR"),
        pytest.param("NIL", id="CTRI"),
        pytest.param("NCT00000000", id="placeholder-NCT"),
        pytest.param("NCT12345678", id="placeholder-NCT-sequence"),
        pytest.param("ISRCTN00000000", id="placeholder-ISRCTN"),
        pytest.param("N/A", id="N/A"),
        pytest.param("Not applicable", id="KCT"),
        pytest.param("NULL", id="full-CSV"),
        pytest.param("pending", id="pending"),
    ],
)
def test_junk_ids_are_no_id(text: str) -> None:
    assert parse_identifier(text) is None


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        pytest.param("EUCTR2020-001039-29-GR", ("EudraCT", "2020-001039-29"), id="EUCTR-country-record-is-the-trial"),
        pytest.param("2020-001039-29", ("EudraCT", "2020-001039-29"), id="EudraCT-number"),
        pytest.param("CTIS2023-507385-11-00", ("CTIS", "2023-507385-11-00"), id="CTIS-ICTRP-prefix-dropped"),
        pytest.param("JPRN-jRCT2071210009", ("JRCT", "jRCT2071210009"), id="JPRN-prefix-dropped"),
        pytest.param("JPRN-UMIN000040127", ("UMIN", "UMIN000040127"), id="JPRN-UMIN-prefix-dropped"),
        pytest.param("chictr2000029953", ("ChiCTR", "ChiCTR2000029953"), id="ChiCTR-any-case"),
        pytest.param("PER-021-20", ("PER", "PER-021-20"), id="REPEC-prefix-kept"),
        pytest.param("IgPro20_3007", ("local", "IgPro20_3007"), id="sponsor-number"),
    ],
)
def test_canonical_trial_id(text: str, canonical: tuple[str, str]) -> None:
    identifier = parse_identifier(text)
    assert identifier is not None
    assert canonical_trial_id(identifier) == canonical


def test_every_scheme_is_reachable_by_name() -> None:
    assert set(BY_NAME) == {scheme.name for scheme in SCHEMES}
    assert len(BY_NAME) == len(SCHEMES)
