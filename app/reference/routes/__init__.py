"""Routes of the reference data: catalogues, posts, officers and their records, requests, pinned
duties, the detachment settings, and import and export."""
