"""City Diplomacy Index: ingestion, methodology and index computation (no UI code)."""

__version__ = "0.1.0"
METHODOLOGY_VERSION = "2.0"
