"""Knowledge base pages, one module per part (search, learnings, …)."""
