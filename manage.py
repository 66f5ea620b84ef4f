#!/usr/bin/env python
"""Same as the `nextgen` console script, for those who expect manage.py."""

from nextgen.cli import main

if __name__ == "__main__":
    main()
