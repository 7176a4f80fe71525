import sys

from ml_lint.cli import main

sys.exit(main())
