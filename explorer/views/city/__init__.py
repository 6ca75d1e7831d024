"""The city profile: the page's view model (page) and the profile's reshaping of the published tables, shared with the
compare page, the PDF report and the snapshots (tables)."""
