"""``python -m service``: the command line (see :mod:`service.doors.cli`)."""

import sys

from .doors.cli import main

if __name__ == "__main__":
    sys.exit(main())
