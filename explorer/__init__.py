"""The explorer's UI helpers: cached read-only data access, query-parameter parsing, formatting. No index math."""
