"""The claims app's admin, one module per change form; importing them registers them.

Admin safety shared with the other apps (SafeIdsMixin, bad-id messages) is in core.admin.
"""

from . import analysis, claim, evidence, locking  # noqa: F401
