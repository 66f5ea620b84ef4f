"""The ecf pages' forms, one module per views module."""
