"""API schemas, one family per resource: `XCreate` (POST body), `XUpdate` (PATCH body), `XRead` (response)."""
