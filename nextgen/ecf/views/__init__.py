"""The ecf pages: thin views over ecf.flows, one module per part of the court site."""
