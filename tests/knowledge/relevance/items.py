"""The relevance set's items: the demo's past experiments and their learnings, plus ideas,
plans and decisions written the way the program writes them.

Each item has a key ("experiment:pdp-delivery-cost") the queries name. They are written to
the index as documents (`indexing.write`), so the set measures search, not the demo seeding.
"""

from apps.knowledge.demo_catalogue import CATALOGUE, METRICS
from apps.knowledge.indexing import Document, Visibility

OUTCOMES = {"won", "lost", "flat", "inconclusive"}


def _experiment(entry) -> Document:
    return Document(
        title=entry.title,
        url=f"/experiments/{entry.key}/",
        visibility=Visibility(0),
        statement=entry.statement,
        text_c=f"{entry.decision.replace('_', ' ')}. {entry.rationale}",
        body=f"{entry.hypothesis}. {entry.design} {' '.join(entry.tags)}",
        status="concluded",
        outcome=entry.outcome,
        surfaces=list(entry.surfaces),
        metrics=[METRICS[entry.metric].name],
        tags=list(entry.tags),
        year=entry.year,
        lift=entry.lift,
        lift_low=entry.ci_low,
        lift_high=entry.ci_high,
    )


def _learning(entry) -> Document:
    learning = entry.learning
    return Document(
        title=f"Learning: {entry.hypothesis}",
        url=f"/knowledge/learnings/{entry.key}/",
        visibility=Visibility(0),
        statement=learning.happened,
        text_c=f"{learning.why} {learning.next}",
        body=learning.changed,
        status="published",
        outcome=entry.outcome,
        surfaces=list(entry.surfaces),
        tags=list(entry.tags),
        year=entry.year,
    )


def _other(kind: str, title: str, statement: str, decided: str, body: str, status: str) -> Document:
    return Document(
        title=title, url=f"/{kind}/", visibility=Visibility(0), statement=statement,
        text_c=decided, body=body, status=status, year=2025,
    )  # fmt: skip


# Ideas that never ran, plans and decisions: "we tried this and rejected it because…".
# fmt: off
OTHERS: dict[str, tuple[str, Document]] = {
    "hypothesis:loyalty-tiers": ("hypothesis", _other(
        "hypothesis", "Gold, silver and bronze loyalty tiers",
        "If we split loyalty members into three tiers by yearly spend, repeat purchase rate "
        "will rise, because status levels motivate people to spend to the next tier.",
        "Rejected: legal flagged that tier benefits tied to spend count as a discount scheme "
        "under the new pricing rules; revisit after the policy review.",
        "Evidence: competitors' tiered programmes, airline frequent-flyer research.",
        "rejected")),
    "hypothesis:support-chatbot": ("hypothesis", _other(
        "hypothesis", "Chatbot for order questions",
        "If we answer 'where is my order' questions with a chatbot, support contact rate will "
        "fall, because most contacts are about parcel tracking.",
        "Rejected: the tracking page redesign already cut these contacts by half and the bot "
        "vendor could not integrate with our carrier data.",
        "Support ticket analysis, Q3.", "rejected")),
    "hypothesis:gift-wrapping": ("hypothesis", _other(
        "hypothesis", "Gift wrapping option in checkout",
        "If we offer gift wrapping for €3 at checkout, average order value will rise in "
        "December, because shoppers buy presents.",
        "Parked until the warehouse can pack wrapped parcels; operations said not before "
        "next season.", "", "parked")),
    "hypothesis:ar-try-on": ("hypothesis", _other(
        "hypothesis", "Augmented reality try-on for glasses",
        "If we let app users try frames on with the camera, returns will fall, because people "
        "see how the glasses look on their face before buying.",
        "Parked: the 3D models cost too much per product for now.", "", "parked")),
    "hypothesis:subscription-pause": ("hypothesis", _other(
        "hypothesis", "Let members pause their subscription",
        "If members can pause instead of cancel, churn will fall, because many cancel for a "
        "temporary reason such as travel.", "", "Cancellation survey answers.", "proposed")),
    "hypothesis:bigger-search-bar": ("hypothesis", _other(
        "hypothesis", "A larger search field in the header",
        "If the search field is wider and always visible on mobile, search usage will rise, "
        "because people who search convert twice as often.", "", "", "proposed")),
    "plan:checkout-redesign": ("plan", _other(
        "plan", "Checkout redesign 2025",
        "Rebuild checkout around fewer steps, upfront costs and wallet payments.",
        "Pivot at milestone 2: the one-page layout was flat, so the plan now focuses on "
        "showing costs early and express wallets.",
        "Milestones: layout test, costs upfront, wallet payments. Kill criteria: no gain "
        "after three tests.", "active")),
    "plan:delivery-promise": ("plan", _other(
        "plan", "Delivery promise",
        "Tell every shopper when their parcel arrives, from the product page to the doorstep.",
        "Continue: the delivery date estimate won, next the slot picker for bulky goods.",
        "Milestones: date estimate on PDP, slot picker, carrier tracking.", "active")),
    "plan:app-growth": ("plan", _other(
        "plan", "App growth programme",
        "Grow the share of orders placed in the app from 30 % to 45 %.",
        "", "Onboarding, push permission and app-only offers.", "active")),
    "plan_decision:checkout-layout": ("plan_decision", _other(
        "plan_decision", "Pivot: One-page checkout layout",
        "Does a one-page layout beat the four-step checkout?",
        "Pivot. The one-page checkout was flat on completion; we move the effort to showing "
        "delivery costs early and to express wallet buttons.", "Checkout redesign 2025",
        "pivot")),
    "plan_decision:date-estimate": ("plan_decision", _other(
        "plan_decision", "Continue: Delivery date on product pages",
        "Does an arrival date on the product page lift orders?",
        "Continue. The estimate won; orders rose and support contacts about delivery fell.",
        "Delivery promise", "continue")),
    "meeting_decision:pause-pricing": ("meeting_decision", _other(
        "meeting_decision", "Pause price tests until the legal review of dynamic pricing",
        "Pricing experiments",
        "We pause all price tests until legal has reviewed dynamic pricing; the membership "
        "price test result stands.", "Working group meeting, March", "")),
    "meeting_decision:ship-guest": ("meeting_decision", _other(
        "meeting_decision", "Ship guest checkout to all markets",
        "Guest checkout results",
        "Ship guest checkout everywhere; track registration rate monthly, since fewer "
        "accounts are created at checkout.", "Working group meeting, June", "")),
}
# fmt: on


def items() -> dict[str, tuple[str, Document]]:
    """Every item by its key: (kind, document)."""
    found: dict[str, tuple[str, Document]] = {}
    for entry in CATALOGUE:
        found[f"experiment:{entry.key}"] = ("experiment", _experiment(entry))
        found[f"learning:{entry.key}"] = ("learning", _learning(entry))
    found.update(OTHERS)
    return found
