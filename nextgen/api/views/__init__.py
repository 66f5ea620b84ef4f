"""The API's HTTP endpoints: thin views over api.flows."""
