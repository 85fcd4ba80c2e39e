"""Bundled, sourced data: loaders for the country registry, the panel and other tables."""
