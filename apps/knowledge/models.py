"""The knowledge base: the search index and learnings."""
