"""Land and sea borders of allies and partners with the frontline states.

Geographic facts typed in by hand; the engine uses them for the proximity bonus in threat
perception. Only the neighbours RUS, BLR, CHN, PRK and UKR are listed, and only from the
side of an ally or partner (``iso3``).

``land``: a shared land boundary as listed in the CIA World Factbook field "Land
boundaries" (Poland and Lithuania border Russia through the Kaliningrad exclave).
``sea``: a shared maritime boundary (delimited by treaty or adjacent claimed zones across a
strait or enclosed sea), with the treaty or sea named in ``note``.

References
----------
CIA, The World Factbook, "Land boundaries" and "Maritime claims" fields (2024 edition),
https://www.cia.gov/the-world-factbook/
"""

from __future__ import annotations

BORDERS_SOURCE = {
    "land": "CIA World Factbook 2024, field 'Land boundaries'",
    "sea": "Maritime boundary treaties / adjacent maritime zones (see note); CIA World Factbook",
}

BORDERS: tuple[tuple[str, str, str, str], ...] = (
    # --- land ---
    ("NOR", "RUS", "land", "Finnmark-Murmansk, 191 km"),
    ("FIN", "RUS", "land", "1,309 km"),
    ("EST", "RUS", "land", "324 km"),
    ("LVA", "RUS", "land", "332 km"),
    ("LTU", "RUS", "land", "Kaliningrad exclave, 261 km"),
    ("POL", "RUS", "land", "Kaliningrad exclave, 209 km"),
    ("UKR", "RUS", "land", "1,944 km"),
    ("LVA", "BLR", "land", "161 km"),
    ("LTU", "BLR", "land", "640 km"),
    ("POL", "BLR", "land", "375 km"),
    ("UKR", "BLR", "land", "1,111 km"),
    ("IND", "CHN", "land", "2,659 km"),
    ("VNM", "CHN", "land", "1,297 km"),
    ("KOR", "PRK", "land", "Military Demarcation Line, 237 km"),
    ("POL", "UKR", "land", "498 km"),
    ("SVK", "UKR", "land", "97 km"),
    ("HUN", "UKR", "land", "128 km"),
    ("ROU", "UKR", "land", "601 km"),
    # --- sea ---
    ("USA", "RUS", "sea", "Bering Strait; USA-USSR Maritime Boundary Agreement 1990"),
    ("NOR", "RUS", "sea", "Barents Sea; Norway-Russia treaty 2010"),
    ("FIN", "RUS", "sea", "Gulf of Finland"),
    ("EST", "RUS", "sea", "Gulf of Finland, Narva Bay"),
    ("LTU", "RUS", "sea", "Baltic Sea off Kaliningrad; treaty 1997"),
    ("POL", "RUS", "sea", "Baltic Sea, Vistula Lagoon off Kaliningrad"),
    ("SWE", "RUS", "sea", "Baltic Sea; Sweden-USSR delimitation agreement 1988"),
    ("TUR", "RUS", "sea", "Black Sea; Turkey-USSR agreements 1978/1987"),
    ("JPN", "RUS", "sea", "La Perouse Strait, Sea of Japan, Sea of Okhotsk"),
    ("UKR", "RUS", "sea", "Sea of Azov, Kerch Strait, Black Sea"),
    ("JPN", "CHN", "sea", "East China Sea"),
    ("KOR", "CHN", "sea", "Yellow Sea"),
    ("TWN", "CHN", "sea", "Taiwan Strait"),
    ("PHL", "CHN", "sea", "South China Sea"),
    ("VNM", "CHN", "sea", "Gulf of Tonkin; delimitation agreement 2000"),
    ("KOR", "PRK", "sea", "Yellow Sea (Northern Limit Line), Sea of Japan"),
    ("JPN", "PRK", "sea", "Sea of Japan"),
    ("ROU", "UKR", "sea", "Black Sea; ICJ judgment 2009"),
    ("TUR", "UKR", "sea", "Black Sea; Turkey-USSR agreements 1978/1987"),
)
