"""Every bundled table passes its pandera schema, and the schemas do catch bad data."""

from __future__ import annotations

import pandera.errors as pa_errors
import pytest

import natofutures as nf
from natofutures.data.coverage import validate_all
from natofutures.data.provenance import fill_rules, sources
from natofutures.data.schemas import SCHEMAS, validate


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_bundled_table_matches_its_schema(name: str) -> None:
    validate(name, nf.data.table(name))


def test_every_bundled_table_has_a_schema_and_sources() -> None:
    assert set(SCHEMAS) == set(nf.data.tables())
    assert set(sources()["tables"]) == set(nf.data.tables())
    assert validate_all() == dict.fromkeys(nf.data.tables(), "ok")


def test_every_panel_column_names_a_known_source() -> None:
    doc = sources()
    cols = doc["tables"]["panel"]["columns"]
    assert set(cols) == set(nf.data.panel().columns) - {"iso3", "year"}
    for spec in cols.values():
        assert spec["source"] in doc["sources"]
        assert spec["unit"]


def test_every_fill_rule_used_is_documented() -> None:
    used = set(nf.data.panel_flags()["rule"]) - {""}
    assert used <= set(fill_rules())
    from natofutures.data.build_panel import FILL_RULES

    assert set(FILL_RULES) == set(fill_rules())


@pytest.mark.parametrize(
    ("name", "column", "bad"),
    [
        ("panel", "burden", 4.2),  # a percent, not a fraction
        ("panel", "iso3", "XXX"),
        ("countries", "role", "friend"),
        ("nato_reported", "burden", 2.0),
        ("gas_dependence", "russia_share", -0.1),
    ],
)
def test_schema_rejects_a_bad_value(name: str, column: str, bad: object) -> None:
    df = nf.data.table(name)
    df.loc[df.index[0], column] = bad
    with pytest.raises(pa_errors.SchemaErrors):
        validate(name, df)


def test_schema_rejects_duplicate_keys() -> None:
    p = nf.data.panel()
    with pytest.raises(pa_errors.SchemaErrors):
        validate("panel", p.iloc[[0, 0]].reset_index(drop=True))
