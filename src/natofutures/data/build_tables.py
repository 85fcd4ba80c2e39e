"""Build the small tables: countries, nato_reported, gas_dependence, borders.

Only used by the build (``natofutures data build --raw DIR``). Every rule that changes or
drops a raw row is stated here and repeated in ``sources.yaml``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from natofutures.data import registry
from natofutures.data.geography import CONTIGUITY_TYPES, COW_CONTIGUITY, NEIGHBOURS

NATO_FILE = "nato_defexp_transcribed/nato_defence_expenditure_transcribed.csv"
GN_2023 = "http://46.235.172.94/Archive/arch-45000-45499/GN45478T_words_EN.txt"
GN_2024 = "http://46.235.172.94/Archive/arch-46000-46499/GN46054T_words_EN.txt"

# Publication date of each transcribed release (from its vintage/source_date columns), keyed
# by a distinctive part of its SOURCE URL; when two transcriptions give the same country-year
# the latest publication wins.
NATO_PUBLISHED = {
    "parliament.the-stationery-office.co.uk": "2008-01",  # HC Defence Committee, 2000-2006
    "dailymail.co.uk": "2018-06",  # NATO figures June 2018 (2017)
    "GN45478": "2023-07",  # Graphic News, NATO July 2023 release (2014, 2023e)
    "expressandstar.com": "2024-03",  # Secretary General's Annual Report 2023
    "GN46054": "2024-06",  # Graphic News, NATO June 2024 release (2014, 2024e)
    "knews.media": "2025-04",  # Secretary General's Annual Report 2024
    "defence-ua.com": "2025-08",  # NATO 2025 defence expenditure report (2025e)
}


def _published(source: str) -> str | None:
    hits = [date for key, date in NATO_PUBLISHED.items() if key in source]
    return hits[0] if len(hits) == 1 else None


SWAP_TOLERANCE = 0.02  # percentage points: how close a swapped 2014 value must be to GN46054


def build_countries(raw: Path) -> pd.DataFrame:
    """Country registry with current capitals (peacesciencer COW capitals, latest row)."""
    caps = pd.read_csv(raw / "peacesciencer" / "cow_capitals.csv")
    caps["ccode"] = caps["ccode"].astype(int)
    caps = caps.sort_values(["ccode", "enddate", "stdate"]).groupby("ccode").tail(1)
    caps = caps.set_index("ccode")
    lat = caps["lat"].astype(float).to_dict()
    lon = caps["lng"].astype(float).to_dict()
    names = caps["capital"].astype(str).to_dict()
    rows = []
    for c in registry.COUNTRIES:
        capital = "Kyiv" if names[c.cow] == "Kiev" else names[c.cow]
        rows.append(
            {
                "iso3": c.iso3,
                "name": c.name,
                "role": c.role,
                "nato_accession": c.nato_accession,
                "region": c.region,
                "european": c.role == "ally" and c.region == "europe",
                "capital": capital,
                "lat": round(lat[c.cow], 6),
                "lon": round(lon[c.cow], 6),
                "cow_code": c.cow,
            }
        )
    out = pd.DataFrame(rows)
    out["nato_accession"] = out["nato_accession"].astype("Int64")
    return out


def _resolve_swaps(d: pd.DataFrame) -> pd.DataFrame:
    """Resolve the Graphic News pairs flagged in ``caveat`` as likely swapped.

    Both Graphic News releases (GN45478, 2014 vs 2023e; GN46054, 2014 vs 2024e) report 2014,
    so each one checks the other: a flagged pair is swapped when its swapped 2014 value is
    within :data:`SWAP_TOLERANCE` of the other release's 2014 value (either value of the
    other pair if that pair is flagged too) and the unswapped value is not. Pairs that cannot
    be resolved this way are dropped.
    """
    d = d.copy()
    flagged = d["caveat"].str.contains("swapped|ascending order", na=False, regex=True)
    d["resolution"] = ""
    drop: list[int] = []
    other = {GN_2023: GN_2024, GN_2024: GN_2023}
    original = d.copy()
    for (src, iso), pair in d[flagged].groupby(["SOURCE", "iso3"]):
        i_e = pair.index[pair["year"] == 2014][0]
        i_l = pair.index[pair["year"] != 2014][0]
        v_e, v_l = float(d.loc[i_e, "value"]), float(d.loc[i_l, "value"])
        o = original[(original["SOURCE"] == other[str(src)]) & (original["iso3"] == iso)]
        o_flagged = bool(flagged[o.index].any())
        cands = [float(v) for v in (o["value"] if o_flagged else o[o["year"] == 2014]["value"])]
        near = [c for c in cands if abs(v_l - c) <= SWAP_TOLERANCE]
        if near and all(abs(v_e - c) > SWAP_TOLERANCE for c in cands):
            d.at[i_e, "value"], d.at[i_l, "value"] = v_l, v_e
            note = f"pair swapped: 2014 = {v_l:.2f} agrees with the other Graphic News release"
            d.loc[[i_e, i_l], "resolution"] = f"{note} ({near[0]:.2f})"
        else:
            drop += [i_e, i_l]
    return d.drop(index=drop)


def build_nato_reported(raw: Path) -> pd.DataFrame:
    """NATO-reported defence expenditure as a share of GDP (fraction), one row per
    country-year, never mixed with SIPRI."""
    d = pd.read_csv(raw / NATO_FILE)
    d = d[d["indicator"] == "defence_expenditure_share_gdp"].copy()
    names = {c.name: c.iso3 for c in registry.COUNTRIES} | registry.NATO_NAMES
    d = d[d["country"].isin(names)].copy()
    d["iso3"] = d["country"].map(names)
    d = _resolve_swaps(d)
    d["published"] = d["SOURCE"].map(_published)
    if d["published"].isna().any():
        missing = sorted(set(d.loc[d["published"].isna(), "SOURCE"]))
        raise ValueError(f"no publication date for NATO source(s): {missing}")
    d = d.sort_values(["iso3", "year", "published"]).groupby(["iso3", "year"]).tail(1)
    caveat = d["caveat"].fillna("").astype(str)
    res = d["resolution"].astype(str)
    caveat = caveat.where(res == "", (caveat + " Resolved: " + res).str.strip())
    out = pd.DataFrame(
        {
            "iso3": d["iso3"].astype(str),
            "year": d["year"].astype("int64"),
            "burden": (d["value"].astype(float) / 100.0).round(6),
            "estimate": d["estimate"].astype(str).str.lower().eq("yes"),
            "source": d["SOURCE"].astype(str),
            "publisher": d["source_publisher"].astype(str),
            "vintage": d["vintage"].astype(str),
            "caveat": caveat,
        }
    )
    return out.sort_values(["iso3", "year"], ignore_index=True)


def build_gas_dependence(raw: Path) -> pd.DataFrame:
    """Russian share of natural-gas imports (fraction) per European ally, Eurostat nrg_ti_gas."""
    g = pd.read_csv(raw / "eurostat_gas_hblasum" / "nrg_ti_gas_custom_russia_total_long.csv")
    g = g[g["siec"] == "Natural gas"]
    allies = [c for c in registry.COUNTRIES if c.role == "ally" and c.region == "europe"]
    names = {registry.EUROSTAT_NAMES.get(c.iso3, c.name): c.iso3 for c in allies}
    names["Türkiye"] = "TUR"
    g = g[g["geo"].isin(names)].copy()
    g["iso3"] = g["geo"].map(names)
    wide = g.pivot_table(index=["iso3", "year"], columns="partner", values="value", aggfunc="sum")
    total = wide["Total"].where(wide["Total"] > 0)
    share = (wide["Russia"] / total).clip(upper=1.0).round(6)
    out = share.rename("russia_share").reset_index().dropna(subset=["russia_share"])
    out["year"] = out["year"].astype("int64")
    out["source"] = "Eurostat nrg_ti_gas (imports of natural gas by partner, TJ GCV)"
    return out.sort_values(["iso3", "year"], ignore_index=True)


def build_borders(raw: Path) -> pd.DataFrame:
    """Land and sea borders of allies/partners with RUS, BLR, CHN, PRK and UKR (COW contiguity
    in force at the end of the data; land = type 1, sea = types 2-5, up to 400 miles)."""
    c = pd.read_csv(raw / "peacesciencer" / "cow_contdir.csv")
    c = c[(c["enddate"] == c["enddate"].max()) & (c["conttype"] > 0)]
    iso = {x.cow: x.iso3 for x in registry.COUNTRIES}
    role = {x.iso3: x.role for x in registry.COUNTRIES}
    c = c.assign(
        iso3=c["ccode1"].astype(int).map(iso), neighbour=c["ccode2"].astype(int).map(iso)
    ).dropna(subset=["iso3", "neighbour"])
    c = c[c["neighbour"].isin(NEIGHBOURS) & c["iso3"].map(role).isin(["ally", "partner"])]
    kind = c["conttype"].astype(int)
    out = pd.DataFrame(
        {
            "iso3": c["iso3"].astype(str),
            "neighbour": c["neighbour"].astype(str),
            "kind": (kind == 1).map({True: "land", False: "sea"}),
            "source": COW_CONTIGUITY,
            "note": [
                f"COW type {k}: {CONTIGUITY_TYPES[k]}; since {d[:7]}"
                for k, d in zip(kind, c["stdate"], strict=True)
            ],
        }
    )
    return out.sort_values(["iso3", "neighbour", "kind"], ignore_index=True)
