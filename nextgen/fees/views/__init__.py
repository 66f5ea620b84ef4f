"""The fees pages: thin views over fees.actions and fees.selectors."""
