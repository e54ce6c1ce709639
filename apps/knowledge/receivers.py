"""What the knowledge base records when other apps act: a proposal's duplicate marks.

The propose form carries the similar-items panel (`_similar.html`), whose "looks like a
duplicate of it" boxes submit `duplicate_of` with the form; the backlog sends
`hypothesis_proposed` inside the proposal's transaction and knows nothing of them.
"""

from django.dispatch import receiver

from apps.backlog.models import Hypothesis
from apps.backlog.signals import hypothesis_proposed

from .services.duplicates import duplicate_links_from_proposal

FIELD = "duplicate_of"


@receiver(hypothesis_proposed, sender=Hypothesis, dispatch_uid="knowledge_proposal_marks")
def record_proposal_marks(sender, *, actor, hypothesis, data, **kwargs) -> None:
    marks = data.getlist(FIELD) if hasattr(data, "getlist") else data.get(FIELD) or []
    if marks:
        duplicate_links_from_proposal(actor=actor, hypothesis=hypothesis, item_ids=marks)
