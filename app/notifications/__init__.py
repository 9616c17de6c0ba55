"""In-app notifications to officers: what changed in their duties, leave or requests, and why."""
