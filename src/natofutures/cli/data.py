"""``natofutures data …``: explore the bundled, sourced data (filled in by the data module)."""
