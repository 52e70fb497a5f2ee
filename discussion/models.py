"""A discussion thread per claim for members, moderated by editors."""
