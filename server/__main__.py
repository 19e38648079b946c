"""``python -m server`` is the same as the ``yishi-server`` command."""

import sys

from server.cli import main

sys.exit(main())
