"""Routers of the JSON API and the pages, one module per concern; ``create_app`` includes them.

- :mod:`.catalogue`: health, postures, parameters, perspectives, criteria, countries, panel
- :mod:`.simulate`: ``POST /api/simulate`` and ``/api/simulate/central``
- :mod:`.compare`: ``POST /api/compare``
- :mod:`.jobs`: the two as background jobs with progress and cancel
- :mod:`.runs`: the runs store
- :mod:`.pages`: dashboard, API docs, vendored assets
"""
