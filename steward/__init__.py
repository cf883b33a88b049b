"""Steward's command line: what has no page (init a store, load demo data, check data)."""
