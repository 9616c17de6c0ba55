"""The audit trail of every change to a roster."""
