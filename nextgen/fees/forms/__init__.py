"""The fees pages' forms, one module per views module."""
