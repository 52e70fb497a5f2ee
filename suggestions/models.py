"""Members' field-by-field suggested edits and their review."""
