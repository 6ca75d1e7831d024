"""The map: points, arcs, colours and labels from the published scores (layers) and the map page's deck, options,
sentences and tables (page)."""
