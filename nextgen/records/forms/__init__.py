"""The records pages' forms."""
