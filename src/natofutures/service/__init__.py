"""Web service and dashboard (``natofutures serve``): FastAPI JSON API + static dashboard.

Import :func:`natofutures.service.app.create_app` to embed the app; the package itself imports
nothing heavy so that ``natofutures --help`` stays fast.
"""
