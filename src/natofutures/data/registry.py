"""The modelled countries: who they are, their role and how each source names them.

This module holds the *facts* typed in by hand (NATO accession years, roles, regions, COW
codes) and the per-source name aliases the build needs. The bundled ``countries.csv`` is
generated from it plus the peacesciencer capitals (see :mod:`natofutures.data.build`).

References
----------
NATO member countries and accession dates: https://www.nato.int/cps/en/natohq/topics_52044.htm
Correlates of War state codes: https://correlatesofwar.org/data-sets/cow-country-codes-v2022
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("ally", "adversary", "partner", "other")
REGIONS = (
    "north_america",
    "europe",
    "eurasia",
    "east_asia",
    "south_asia",
    "oceania",
    "middle_east",
    "southeast_asia",
)


@dataclass(frozen=True)
class Country:
    """One modelled country.

    ``cow`` is the Correlates of War code of today's state; ``cow_before`` lists
    (code, last year) pairs used for predecessors the COW data treat separately
    (West Germany 260 until 1990).
    """

    iso3: str
    name: str
    role: str
    nato_accession: int | None
    region: str
    cow: int
    cow_before: tuple[tuple[int, int], ...] = ()


_ALLIES_1949 = ("USA", "CAN", "GBR", "FRA", "BEL", "NLD", "LUX", "NOR", "DNK", "ISL", "ITA", "PRT")

COUNTRIES: tuple[Country, ...] = (
    # --- NATO allies (32), accession year of the country (or of West Germany for DEU) ---
    Country("USA", "United States", "ally", 1949, "north_america", 2),
    Country("CAN", "Canada", "ally", 1949, "north_america", 20),
    Country("GBR", "United Kingdom", "ally", 1949, "europe", 200),
    Country("FRA", "France", "ally", 1949, "europe", 220),
    Country("BEL", "Belgium", "ally", 1949, "europe", 211),
    Country("NLD", "Netherlands", "ally", 1949, "europe", 210),
    Country("LUX", "Luxembourg", "ally", 1949, "europe", 212),
    Country("NOR", "Norway", "ally", 1949, "europe", 385),
    Country("DNK", "Denmark", "ally", 1949, "europe", 390),
    Country("ISL", "Iceland", "ally", 1949, "europe", 395),
    Country("ITA", "Italy", "ally", 1949, "europe", 325),
    Country("PRT", "Portugal", "ally", 1949, "europe", 235),
    Country("GRC", "Greece", "ally", 1952, "europe", 350),
    Country("TUR", "Türkiye", "ally", 1952, "europe", 640),
    Country("DEU", "Germany", "ally", 1955, "europe", 255, ((260, 1990),)),
    Country("ESP", "Spain", "ally", 1982, "europe", 230),
    Country("CZE", "Czechia", "ally", 1999, "europe", 316),
    Country("HUN", "Hungary", "ally", 1999, "europe", 310),
    Country("POL", "Poland", "ally", 1999, "europe", 290),
    Country("BGR", "Bulgaria", "ally", 2004, "europe", 355),
    Country("EST", "Estonia", "ally", 2004, "europe", 366),
    Country("LVA", "Latvia", "ally", 2004, "europe", 367),
    Country("LTU", "Lithuania", "ally", 2004, "europe", 368),
    Country("ROU", "Romania", "ally", 2004, "europe", 360),
    Country("SVK", "Slovakia", "ally", 2004, "europe", 317),
    Country("SVN", "Slovenia", "ally", 2004, "europe", 349),
    Country("ALB", "Albania", "ally", 2009, "europe", 339),
    Country("HRV", "Croatia", "ally", 2009, "europe", 344),
    Country("MNE", "Montenegro", "ally", 2017, "europe", 341),
    Country("MKD", "North Macedonia", "ally", 2020, "europe", 343),
    Country("FIN", "Finland", "ally", 2023, "europe", 375),
    Country("SWE", "Sweden", "ally", 2024, "europe", 380),
    # --- adversaries ---
    Country("RUS", "Russia", "adversary", None, "eurasia", 365),
    Country("CHN", "China", "adversary", None, "east_asia", 710),
    Country("BLR", "Belarus", "adversary", None, "europe", 370),
    Country("PRK", "North Korea", "adversary", None, "east_asia", 731),
    Country("IRN", "Iran", "adversary", None, "middle_east", 630),
    # --- partners ---
    Country("UKR", "Ukraine", "partner", None, "europe", 369),
    Country("JPN", "Japan", "partner", None, "east_asia", 740),
    Country("KOR", "South Korea", "partner", None, "east_asia", 732),
    Country("AUS", "Australia", "partner", None, "oceania", 900),
    Country("TWN", "Taiwan", "partner", None, "east_asia", 713),
    Country("NZL", "New Zealand", "partner", None, "oceania", 920),
    Country("PHL", "Philippines", "partner", None, "southeast_asia", 840),
    Country("IND", "India", "partner", None, "south_asia", 750),
    Country("SAU", "Saudi Arabia", "partner", None, "middle_east", 670),
    Country("ARE", "United Arab Emirates", "partner", None, "middle_east", 696),
    Country("VNM", "Vietnam", "partner", None, "southeast_asia", 816),
)

ISO3 = tuple(c.iso3 for c in COUNTRIES)

# Names used by each source where they differ from ``Country.name``.
SIPRI_NAMES = {
    "USA": "United States of America",
    "KOR": "Korea, South",
    "PRK": "Korea, North",
    "VNM": "Viet Nam",
}
OWID_NAMES: dict[str, str] = {}  # OWID population uses ISO3 codes directly
POLITY_NAMES = {"TUR": "Turkey"}
POLITY_PREDECESSORS = {"DEU": ("West Germany", 1990)}  # name, last year
FH_NAMES = {"TUR": "Turkey"}
FAS_NAMES = {"PRK": "North  Korea"}  # sic: double space in the FAS/OWID file
EUROSTAT_NAMES = {
    "DEU": "Germany (until 1990 former territory of the FRG)",
    "TUR": "Turkey",
}
NATO_NAMES = {
    "U.S.": "USA",
    "US": "USA",
    "United States": "USA",
    "UK": "GBR",
    "United Kingdom": "GBR",
    "Türkiye": "TUR",
    "Turkey": "TUR",
    "N Macedonia": "MKD",
    "North Macedonia": "MKD",
    "Czech Republic": "CZE",
    "Czechia": "CZE",
    "Slovak Republic": "SVK",
}


def by_iso3() -> dict[str, Country]:
    """Map ISO3 code → :class:`Country`."""
    return {c.iso3: c for c in COUNTRIES}


def founders() -> tuple[str, ...]:
    """The twelve signatories of the North Atlantic Treaty (4 April 1949)."""
    return _ALLIES_1949
