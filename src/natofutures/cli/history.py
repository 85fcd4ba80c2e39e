"""CLI commands for the history area (registered on the root app when imported)."""
