"""Per-page view models: pure pandas over the published tables, no Streamlit; results are shared, read-only."""
