"""The registry's REST API under /api/v1/: one module per kind of user's work."""
