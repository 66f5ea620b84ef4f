"""The noticing pages' forms."""
