"""The CDI Explorer's code behind app.py and pages/, in layers: data (the published index and the one cache entry
point), views (per-page view models, pure pandas), widgets (Streamlit drawing), text (languages, formats, URLs),
perf (the per-process memo), documents (the PDF report) and publish (the publish command: static snapshots, cards,
reports; never imported by the app).
No index math: that is cdi_core's."""
