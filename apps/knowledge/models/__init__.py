"""The knowledge base's models, one module per part: the search index, learnings, embeddings.

Each part's module adds its import line here.
"""

from .embedding import Embedding  # noqa: F401
from .facets import FacetCount  # noqa: F401
from .learning import Learning, LearningLink, LearningStatus, LinkRole  # noqa: F401
from .search import DuplicateLink, Kind, Outcome, SearchItem, SearchTerm, StakeholderAccess  # noqa: F401
