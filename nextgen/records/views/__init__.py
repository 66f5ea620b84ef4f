"""The PACER access pages: thin views over records.selectors and records.charging."""
