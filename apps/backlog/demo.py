"""The demo program's backlog: ~40 hypotheses across both categories and the three business
units, scored in ICE by several members (a few with strong disagreement), some moved along
the workflow, and one custom weighted framework.

Deterministic and idempotent: hypotheses are looked up by title, and one that exists is left
as it is, so a second run adds nothing. Everything goes through the services, as people would;
then each hypothesis is dated back to when it would have been proposed (`_backdate`), so the
program has a history: most ideas were proposed over the past weeks and months, and only a
few arrived since the last meeting.
"""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from apps.accounts.demo import DemoPeople

from . import services
from .models import Hypothesis, Score, ScoringFramework, Status, StatusChange

P, F = "product", "foundational"
COM, PLAT, DS = "commerce", "platform-engineering", "data-science"

# title, if we…, metric, direction, ~%, because…, category, unit, owner, tags, weeks,
# status, ICE base (impact, confidence, ease)
# fmt: off
HYPOTHESES = [
    ("One-page checkout", "merge shipping and payment into a single checkout page", "checkout conversion", "increase", 2.5, "session recordings show a third of drop-offs happen on the step change", P, COM, "lena", ["checkout"], 6, Status.RUNNING, (8, 6, 4)),
    ("Express pay buttons above the fold", "show Apple Pay and Google Pay before the address form", "checkout conversion", "increase", 1.5, "mobile users abandon when typing addresses on small screens", P, COM, "aisha", ["checkout", "mobile"], 2, Status.ACCEPTED, (7, 7, 7)),
    ("Guest checkout by default", "preselect guest checkout instead of asking to sign in", "checkout conversion", "increase", 1.2, "the sign-in wall is the most-clicked back button target", P, COM, "lena", ["checkout"], 1, Status.PROPOSED, (6, 6, 9)),
    ("Delivery date instead of shipping speed", "show an estimated delivery date rather than 'standard / express'", "checkout conversion", "increase", 0.8, "customer interviews say a date is easier to trust than a speed", P, COM, "aisha", ["checkout", "shipping"], 3, Status.PROPOSED, (5, 5, 6)),
    ("Trust badges near the pay button", "show payment-security badges next to the pay button", "payment step completion", "increase", 0.5, "support tickets mention doubts about card safety", P, COM, "aisha", ["checkout"], 1, Status.REJECTED, (3, 4, 9)),
    ("Save cart across devices", "keep signed-in users' carts in sync between app and web", "cart recovery rate", "increase", 4.0, "a quarter of carts are started on mobile and finished on desktop", P, COM, "lena", ["cart", "mobile"], 8, Status.PROPOSED, (7, 5, 3)),
    ("Free-shipping progress bar", "show how much more to add for free shipping in the cart", "average order value", "increase", 3.0, "orders cluster just above the free-shipping threshold already", P, COM, "aisha", ["cart", "pricing"], 2, Status.DESIGNING, (6, 7, 7)),
    ("Annual plan toggle on the pricing page", "default the pricing page toggle to annual billing", "annual plan share", "increase", 10.0, "annual subscribers churn far less than monthly ones", P, COM, "lena", ["pricing"], 1, Status.PROPOSED, (7, 5, 9)),
    ("Decoy tier on pricing", "add a premium tier priced to make the middle tier look good value", "revenue per visitor", "increase", 2.0, "anchoring studies in SaaS pricing report middle-tier lifts", P, COM, "lena", ["pricing"], 2, Status.PROPOSED, (6, 3, 7)),
    ("Show prices with tax included", "show tax-inclusive prices on product and pricing pages", "checkout conversion", "increase", 1.0, "the price jump at checkout is a frequent complaint", P, COM, "aisha", ["pricing", "checkout"], 3, Status.PARKED, (5, 6, 5)),
    ("Personalised onboarding checklist", "replace the product tour with a checklist based on the sign-up goal", "day-7 activation", "increase", 5.0, "users who finish three setup steps retain twice as well", P, COM, "aisha", ["onboarding"], 4, Status.ACCEPTED, (8, 6, 5)),
    ("Skip email verification until first purchase", "let new users browse and add to cart before verifying email", "sign-up completion", "increase", 8.0, "a fifth of sign-ups never open the verification email", P, COM, "lena", ["onboarding"], 2, Status.PROPOSED, (7, 6, 7)),
    ("Social sign-in first", "put 'continue with Google' above the email form", "sign-up completion", "increase", 4.0, "the email form has the longest time-to-complete on the page", P, COM, "aisha", ["onboarding"], 1, Status.PROPOSED, (5, 7, 9)),
    ("Welcome discount for the second order", "email a 10 % code after the first delivery", "90-day repeat purchase rate", "increase", 3.0, "repeat purchase is the strongest predictor of lifetime value", P, COM, "lena", ["retention", "pricing"], 2, Status.PROPOSED, (6, 5, 8)),
    ("Progressive profiling in onboarding", "ask two profile questions per session instead of eight up front", "onboarding completion", "increase", 6.0, "the long form loses half of the users who start it", P, COM, "aisha", ["onboarding"], 3, Status.PROPOSED, (6, 6, 6)),
    ("'Frequently bought together' on product pages", "show a bundle of the three items most co-purchased", "items per order", "increase", 4.0, "co-purchase data is strong for accessories", P, DS, "marco", ["recommendations"], 5, Status.ACCEPTED, (7, 6, 5)),
    ("Recently viewed row on the home page", "add a 'recently viewed' row for returning visitors", "home page click-through", "increase", 3.0, "returning visitors often search again for items they saw", P, COM, "aisha", ["recommendations", "home"], 2, Status.PROPOSED, (5, 7, 8)),
    ("Recommendations in the empty cart", "show personalised picks when the cart is empty", "cart additions per session", "increase", 2.0, "the empty cart is a dead end with high traffic", P, DS, "marco", ["recommendations", "cart"], 2, Status.PROPOSED, (4, 5, 8)),
    ("Out-of-stock alternatives", "suggest three similar in-stock items on sold-out product pages", "revenue per product-page visit", "increase", 1.5, "sold-out pages get traffic from ads and old links", P, DS, "marco", ["recommendations"], 3, Status.PROPOSED, (6, 7, 6)),
    ("Search autocomplete with product thumbnails", "show thumbnails and prices in the search suggestions", "search-to-purchase rate", "increase", 2.0, "users refine queries several times before clicking a result", P, PLAT, "tomas", ["search"], 4, Status.ACCEPTED, (7, 6, 5)),
    ("Typo-tolerant search", "correct misspelled queries automatically when there is one clear match", "zero-result search rate", "decrease", 30.0, "one search in twelve returns nothing, mostly because of typos", P, PLAT, "tomas", ["search"], 3, Status.PROPOSED, (7, 8, 6)),
    ("Search filters remembered per category", "keep a user's size and brand filters when moving between categories", "searches per purchase", "decrease", 5.0, "users re-apply the same filters on every category", P, PLAT, "tomas", ["search"], 3, Status.PROPOSED, (4, 5, 6)),
    ("Sticky add-to-cart on mobile", "pin the add-to-cart button to the bottom of mobile product pages", "add-to-cart rate", "increase", 3.0, "the button scrolls out of view on long product pages", P, COM, "lena", ["mobile", "product-page"], 1, Status.CONCLUDED, (6, 8, 9)),
    ("Product videos on the product page", "autoplay a muted 10-second video in the image gallery", "add-to-cart rate", "increase", 2.0, "video product pages convert better in supplier data", P, COM, "aisha", ["product-page"], 5, Status.PROPOSED, (5, 4, 4)),
    ("Reviews summary at the top", "show a one-line AI summary of reviews under the title", "add-to-cart rate", "increase", 1.0, "few users scroll to the reviews section", P, DS, "marco", ["product-page"], 4, Status.PROPOSED, (5, 3, 5)),
    ("Learning-to-rank model for search", "replace the hand-tuned ranking formula with a learning-to-rank model", "search revenue per query", "increase", 4.0, "offline evaluation shows a 6 % NDCG gain on last quarter's logs", F, PLAT, "tomas", ["search", "ranking-model"], 12, Status.DESIGNING, (8, 5, 2)),
    ("Query understanding: category intent", "classify queries into category intent before ranking", "search click-through", "increase", 3.0, "a third of queries are a category name", F, PLAT, "tomas", ["search", "ranking-model"], 8, Status.ACCEPTED, (7, 5, 3)),
    ("Two-tower retrieval for recommendations", "retrieve recommendation candidates with a two-tower embedding model", "recommendation click-through", "increase", 5.0, "the co-occurrence retrieval misses long-tail items", F, DS, "marco", ["recommendations", "ranking-model"], 10, Status.RUNNING, (8, 5, 2)),
    ("CUPED for all conversion metrics", "apply CUPED variance reduction with pre-period conversion as covariate", "experiment duration to significance", "decrease", 25.0, "pre-period conversion correlates 0.5 with in-experiment conversion", F, DS, "marco", ["methods"], 4, Status.ACCEPTED, (7, 8, 6)),
    ("Sequential testing for guardrails", "monitor guardrail metrics with always-valid sequential tests", "time to detect a harmful launch", "decrease", 50.0, "peeking at fixed-horizon tests inflates false alarms", F, DS, "marco", ["methods", "guardrails"], 5, Status.DESIGNING, (6, 7, 5)),
    ("Metric definitions in one catalogue", "define every experiment metric once, in a versioned catalogue", "analysis time per experiment", "decrease", 30.0, "the same metric is computed three ways across teams", F, DS, "priya", ["metric-quality"], 6, Status.ACCEPTED, (6, 8, 4)),
    ("Bot filtering before assignment", "drop bot traffic before users are assigned to variants", "sample ratio mismatch alerts", "decrease", 60.0, "most SRM alerts last quarter traced back to crawlers", F, PLAT, "tomas", ["metric-quality", "platform"], 3, Status.PROPOSED, (6, 8, 6)),
    ("Page speed: lazy-load below-the-fold images", "lazy-load product images below the fold on listing pages", "listing page conversion", "increase", 1.0, "largest contentful paint on listings is 3.8 s on mid-range phones", F, PLAT, "tomas", ["performance"], 2, Status.PROPOSED, (5, 6, 7)),
    ("Server-side rendering of the home page", "render the home page on the server for first visits", "bounce rate", "decrease", 4.0, "first visits wait on four API calls before anything shows", F, PLAT, "tomas", ["performance", "home"], 8, Status.PROPOSED, (6, 5, 3)),
    ("Holdout group for recommendations", "keep a permanent 2 % holdout without recommendations", "measured long-term recommendation lift", "increase", None, "we have never measured the cumulative effect of recommendations", F, DS, "marco", ["methods", "recommendations"], 2, Status.PROPOSED, (5, 7, 8)),
    ("Feature store for ranking signals", "serve ranking features from one feature store online and offline", "ranking model iteration time", "decrease", 40.0, "training-serving skew caused two failed launches", F, PLAT, "tomas", ["platform", "ranking-model"], 16, Status.PROPOSED, (7, 5, 1)),
    ("Event schema validation at ingestion", "reject analytics events that break their schema at ingestion", "broken-metric incidents", "decrease", 50.0, "three experiment readouts were delayed by malformed events", F, PLAT, "tomas", ["metric-quality", "platform"], 4, Status.PROPOSED, (6, 7, 5)),
    ("Price elasticity model for promotions", "estimate price elasticity per category from past promotions", "promotion margin", "increase", 2.0, "promotions are sized by rule of thumb today", F, DS, "priya", ["pricing", "methods"], 10, Status.PARKED, (6, 4, 2)),
    ("Interleaving for search ranking tests", "compare ranking models with interleaving before A/B tests", "ranking tests per quarter", "increase", 100.0, "interleaving needs far fewer users to pick the better ranker", F, DS, "marco", ["methods", "search"], 5, Status.PROPOSED, (6, 6, 5)),
    ("Long-term retention metric", "add 90-day retention as a secondary metric on every product test", "share of tests with a long-term readout", "increase", None, "short-term wins sometimes hurt retention", F, DS, "priya", ["metric-quality"], 3, Status.PROPOSED, (5, 6, 6)),
]
# fmt: on

SCORERS = ["priya", "marco", "lena", "tomas", "aisha"]
# Where members clash: one scorer sees it very differently from the others.
DISAGREEMENTS = {
    "Annual plan toggle on the pricing page": ("tomas", (2, 2, 3)),
    "Reviews summary at the top": ("lena", (9, 8, 8)),
    "Learning-to-rank model for search": ("aisha", (2, 2, 1)),
    "Decoy tier on pricing": ("marco", (1, 1, 2)),
    "Feature store for ranking signals": ("lena", (2, 2, 1)),
}
# Where the demo's decisions came from, for the status history.
REASONS = {
    Status.REJECTED: "Tested in 2024 on the payment step with no effect; see the knowledge base.",
    Status.PARKED: "Waiting for the finance team's tax-display decision next quarter.",
}
PATHS = {
    Status.PROPOSED: [],
    Status.ACCEPTED: [Status.ACCEPTED],
    Status.DESIGNING: [Status.ACCEPTED, Status.DESIGNING],
    Status.RUNNING: [Status.ACCEPTED, Status.DESIGNING, Status.RUNNING],
    Status.CONCLUDED: [
        Status.ACCEPTED,
        Status.DESIGNING,
        Status.RUNNING,
        Status.ANALYZING,
        Status.CONCLUDED,
    ],
    Status.PARKED: [Status.PARKED],
    Status.REJECTED: [Status.REJECTED],
}

CUSTOM_FRAMEWORK = {
    "name": "Value vs cost",
    "rule": "sum",
    "description": "Customer value and strategic fit, less build cost; weights set by the group.",
    "criteria": [
        {"name": "Customer value", "scale_min": 0, "scale_max": 5, "weight": 2, "axis": "impact"},
        {"name": "Strategic fit", "scale_min": 0, "scale_max": 5, "weight": 1},
        {
            "name": "Build cost",
            "unit": "person-weeks",
            "scale_min": 0,
            "scale_max": 20,
            "weight": -0.5,
            "axis": "effort",
        },
    ],
}


# The newest proposals, in hours ago: they arrived since the last meeting (the demo series
# meets on weekday mornings, Berlin time, at least half a day ago) and are its new items.
RECENT_HOURS = (0.5, 2, 5)


def _proposed_at(index: int, status: str, recent: int | None, now: datetime) -> datetime:
    """When a seeded hypothesis was proposed: the newest few hours ago, the other proposals
    spread over the past two months, and those already moved along (accepted, running…)
    earlier still, so their workflow had time to happen."""
    if recent is not None:
        return now - timedelta(hours=RECENT_HOURS[recent])
    rng = random.Random(f"proposed:{index}")
    if status == Status.PROPOSED:
        return now - timedelta(days=rng.randint(9, 60), hours=rng.randint(0, 8))
    return now - timedelta(days=rng.randint(45, 110), hours=rng.randint(0, 8))


def _backdate(h: Hypothesis, proposed_at: datetime, now: datetime) -> None:
    """Date the hypothesis, its scores and its status changes back from today to a life
    that began at `proposed_at`: scores within days, each move a little later."""
    span = now - proposed_at
    Hypothesis.objects.filter(pk=h.pk).update(
        created_at=proposed_at, status_changed_at=proposed_at + span * 0.8
    )
    Score.objects.filter(hypothesis=h).update(
        created_at=proposed_at + span * 0.2, updated_at=proposed_at + span * 0.2
    )
    changes = list(StatusChange.objects.filter(hypothesis=h).order_by("at", "pk"))
    for n, change in enumerate(changes, start=1):
        change.at = proposed_at + span * (0.2 + 0.6 * n / len(changes))
    StatusChange.objects.bulk_update(changes, ["at"])


def _member_values(title: str, scorer: str, base: tuple[int, int, int]) -> dict[str, float]:
    if title in DISAGREEMENTS and DISAGREEMENTS[title][0] == scorer:
        base = DISAGREEMENTS[title][1]
    # Seeded by title and scorer, so every run gives each member the same opinion.
    rng = random.Random(f"{title}:{scorer}")
    return {
        key: float(min(10, max(1, value + rng.choice((-1, 0, 0, 1)))))
        for key, value in zip(("impact", "confidence", "ease"), base, strict=True)
    }


@transaction.atomic
def seed_backlog(people: DemoPeople) -> str:
    group, users = people.group, people.users
    pm = users["priya"]
    if not ScoringFramework.objects.filter(working_group=group, name=CUSTOM_FRAMEWORK["name"]):
        services.framework_create(actor=pm, group=group, **CUSTOM_FRAMEWORK)

    added = scores = 0
    now = timezone.now()
    proposed_rows = [i for i, row in enumerate(HYPOTHESES) if row[11] == Status.PROPOSED]
    newest = {i: n for n, i in enumerate(proposed_rows[-len(RECENT_HOURS) :])}
    for index, row in enumerate(HYPOTHESES):
        (title, change, metric, direction, effect, because, category, unit, owner,
         tags, weeks, status, base) = row  # fmt: skip
        if Hypothesis.objects.filter(working_group=group, title=title).exists():
            continue
        owner_user = users[owner]
        h = services.hypothesis_propose(
            actor=owner_user,
            group=group,
            title=title,
            change=change,
            metric=metric,
            direction=direction,
            expected_effect=effect,
            rationale=because,
            category=category,
            business_unit=people.units[unit],
            tags=tags,
            effort_weeks=weeks,
        )
        added += 1
        # Three to five members score each, in a fixed rotation.
        for scorer in SCORERS[: 3 + index % 3]:
            services.score_submit(
                actor=users[scorer],
                hypothesis=h,
                values=_member_values(title, scorer, base),
                comment="",
            )
            scores += 1
        if title in DISAGREEMENTS and DISAGREEMENTS[title][0] not in SCORERS[: 3 + index % 3]:
            scorer = DISAGREEMENTS[title][0]
            services.score_submit(
                actor=users[scorer],
                hypothesis=h,
                values=_member_values(title, scorer, base),
                comment="I read the evidence differently; let's discuss.",
            )
            scores += 1
        for step in PATHS[status]:
            actor = pm if step in services.DECISIONS else owner_user
            services.hypothesis_transition(
                actor=actor, hypothesis=h, to_status=step, reason=REASONS.get(step, "")
            )
        _backdate(h, _proposed_at(index, status, newest.get(index), now), now)
    total = Hypothesis.objects.filter(working_group=group).count()
    return f"Backlog: {total} hypotheses ({added} added), {scores} member scores added"
