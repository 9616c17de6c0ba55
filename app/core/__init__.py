"""The service's foundations: settings, database, request dependencies, errors, security, the clock,
paging. Imports nothing from the domain packages."""
