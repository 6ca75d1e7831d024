"""Static publishing (snapshots, preview cards): build outputs the live app never imports."""
