"""The dockets pages' forms, one module per views module (the filing flow keeps its
own in filing/forms.py)."""
