"""Performance helpers, opt-in: the one per-process memo and the server's memory housekeeping."""
