"""The reference data as the duty office keeps it (units, skills, shift types, posts, officers and
their records, requests, pinned duties, settings), and its import and export."""
