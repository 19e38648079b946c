"""``python -m desktop`` runs the ``yishi`` command."""

import sys

from desktop.cli import main

sys.exit(main())
