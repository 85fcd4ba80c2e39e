"""Regenerate the bundled data tables from the raw source folder.

Example: python scripts/build_data.py --raw data/raw
"""

from __future__ import annotations

import argparse
import sys

from natofutures.data.build import write_tables
from natofutures.errors import NatoFuturesError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", required=True, help="the data/raw folder (one folder per source)")
    parser.add_argument("--out", default=None, help="output folder (default: the package's)")
    args = parser.parse_args(argv)
    try:
        for path in write_tables(args.raw, args.out):
            print(path)
    except NatoFuturesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
