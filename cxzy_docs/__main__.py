"""``python -m cxzy_docs`` runs the ``cxzy`` command."""

import sys

from cxzy_docs.cli import main

sys.exit(main())
