"""Readers' flags on a claim, a study, an evidence link or a comment, and the editors' queue."""
