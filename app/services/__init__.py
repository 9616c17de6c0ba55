"""Business logic. Services take a session, flush (never commit) and raise domain errors."""
