"""Hub views, one module per topic: `hubs.py` (list, page, join, leave, members),
`moderation.py` (the coordinator dashboard)."""
