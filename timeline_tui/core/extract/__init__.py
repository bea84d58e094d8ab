"""Find dated events in news articles: temporal expressions, boilerplate removal, candidates, evaluation."""

from timeline_tui.core.extract.candidates import Article, Candidate, Extraction, extract, find_published, read_article

__all__ = ["Article", "Candidate", "Extraction", "extract", "find_published", "read_article"]
