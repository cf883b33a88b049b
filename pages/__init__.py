"""How people work with Steward: one page a file (UI only), listed in app.py."""
