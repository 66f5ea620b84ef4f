"""The dockets pages: thin views over dockets.actions, dockets.staff and the selectors
(the filing flow keeps its own in filing/views.py)."""
