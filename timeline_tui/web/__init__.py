"""The app in a web browser (``timeline-tui serve``): a token-guarded textual-serve server."""
