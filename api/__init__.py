"""The read-only JSON API under /api/ (docs/api.md), /claims/<slug>.json, and the daily bulk
dumps (/api/dumps/).

A Django app (in INSTALLED_APPS) for its management command (`write_dump`) and its task
(api/tasks.py, the daily dump); it has no models or templates, only views over claims and
studies.
"""
