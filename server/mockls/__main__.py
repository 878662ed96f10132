"""``python -m mockls``: the same entry point as the ``mockls`` command."""

import sys

from mockls.cli import main

sys.exit(main())
