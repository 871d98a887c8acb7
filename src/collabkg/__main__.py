"""``python -m collabkg``: the same as the ``collabkg`` command."""

import sys

from collabkg.cli import main

if __name__ == "__main__":
    sys.exit(main())
