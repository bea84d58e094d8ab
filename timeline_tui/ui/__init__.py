"""The Textual user interface: the app, its screens and widgets (the core never imports this)."""
