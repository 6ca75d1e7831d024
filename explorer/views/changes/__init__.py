"""What changed: the change decomposition, rank split, data diff and events as display frames (tables) and the /changes
page's chart, columns and sentences (page)."""
