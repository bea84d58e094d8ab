"""Allow ``python -m timeline_tui``."""

from timeline_tui.cli import main

raise SystemExit(main())
