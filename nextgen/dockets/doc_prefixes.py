"""The three-digit court prefix of PACER document ids (doc1 links), per court code.

PACER's own numbering, for the courts NextGen runs; a court not listed uses
selectors.FALLBACK_PREFIX. Add a court's prefix here when it goes live.
"""

PREFIXES: dict[str, str] = {
    "ctd": "041",
    "ctb": "040",
    "prd": "159",
    "prb": "158",
    "vid": "193",
    "vib": "192",
    "gud": "059",
    "gub": "058",
    "cacb": "973",
    "cand": "035",
}
