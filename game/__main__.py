"""`python -m game` does what `mot` does."""

import sys

from .cli import main

sys.exit(main())
