"""HTTP routes, one module per resource family. Routes parse, call a service, return a schema."""
