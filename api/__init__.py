"""The read-only JSON API under /api/ (docs/api.md), and /claims/<slug>.json.

Not a Django app: it has no models, templates or commands, only views over claims and studies.
"""
