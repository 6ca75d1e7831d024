"""The Methodology & data page: its tables (tables), each indicator's rule and the downloads (notes), its longer texts
(text), its tables' columns (columns), the build's quality report and freshness (quality) and the indicator coverage
(coverage)."""
