"""One module per source; each exposes `read(raw_dir, registry) -> SourceResult`."""
