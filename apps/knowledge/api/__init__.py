"""The knowledge base API, one module per part (search, learnings, meta-analysis)."""
