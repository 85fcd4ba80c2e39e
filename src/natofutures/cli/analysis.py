"""CLI commands for the analysis area (registered on the root app when imported)."""
