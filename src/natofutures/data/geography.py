"""Land and sea borders of allies and partners with the frontline states, from COW.

The engine uses them for the proximity bonus in threat perception and the hazard fit uses the
same source for contiguity. The table is built from the Correlates of War Direct Contiguity
data (v3.2, as shipped by peacesciencer, ``data/raw/peacesciencer/cow_contdir.csv``): every
dyad in force at the end of the data (December 2016) between an ally or partner (``iso3``)
and one of the neighbours RUS, BLR, CHN, PRK and UKR.

``land``: COW contiguity type 1 (a shared land or river boundary; Poland and Lithuania border
Russia through the Kaliningrad exclave). ``sea``: types 2-5, separated by at most 12, 24, 150
or 400 miles of water. COW records one type per dyad (the closest), so a dyad with a land
border is not also listed as a sea border.

References
----------
Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F. and Gochman, C. (2002), "The Correlates of
War Project Direct Contiguity Data, Version 3", Conflict Management and Peace Science 19(2):
58-66. https://correlatesofwar.org/data-sets/direct-contiguity/
"""

from __future__ import annotations

NEIGHBOURS = ("RUS", "BLR", "CHN", "PRK", "UKR")
COW_CONTIGUITY = "COW Direct Contiguity v3.2 (via peacesciencer cow_contdir)"
CONTIGUITY_TYPES = {
    1: "land or river border",
    2: "separated by up to 12 miles of water",
    3: "separated by up to 24 miles of water",
    4: "separated by up to 150 miles of water",
    5: "separated by up to 400 miles of water",
}
