"""The noticing pages: thin views over noticing.preferences."""
