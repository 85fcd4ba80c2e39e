"""CLI commands for the engine area (registered on the root app when imported)."""
