"""Reports: annual summary, review ledger, 公示 list."""
