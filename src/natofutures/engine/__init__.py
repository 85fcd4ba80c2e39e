"""The simulation engine: one module per mechanism of docs/methodology.md."""
