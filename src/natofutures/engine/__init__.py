"""The simulation engine: one module per mechanism of MODEL.md section 3."""
