"""Streamlit drawing: page frame and controls with their URL state, tables, charts, maps, embed, presentation."""
