"""The Markdown parser the export tests read exports with: CommonMark + footnotes + YAML front matter
(as Obsidian, Jekyll, Hugo or GitHub read a file that starts with front matter)."""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin


def commonmark() -> MarkdownIt:
    return MarkdownIt("commonmark").use(front_matter_plugin).use(footnote_plugin)
