"""Hub views, one module per topic: `hubs.py` (list, page, join, leave, members),
`moderation.py` (the coordinator dashboard), `threads.py` (consultation threads), `people.py`
(profile pages and the expert directory, under /members/)."""
