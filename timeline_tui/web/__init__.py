"""The app in a web browser (``timeline-tui serve``): a token-guarded textual-serve server.

Importing this package is cheap; :mod:`timeline_tui.web.server` brings in aiohttp and textual-serve.
"""

#: The environment variable that may hold the server's token.
TOKEN_ENV = "TIMELINE_TUI_TOKEN"
