"""The knowledge base's models, one module per part: the search index, learnings, embeddings.

Each part's module adds its import line here.
"""
