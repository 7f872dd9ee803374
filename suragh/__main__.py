import sys

from suragh.cli import main

sys.exit(main())
