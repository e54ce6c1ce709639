"""The demo program's research plans: four plans over the last and the next two quarters.

Two product-focused (one mid-way after a "continue", one shipped), one foundational that
pivoted, and one abandoned with its rationale (confidential to Commerce). Dates are
relative to today, so the roadmap always looks current.

Everything goes through the services, as people would; only the decision timestamps are
moved back afterwards, since a service stamps "now" and the story happened over months.
Idempotent: a plan is looked up by title in the group and left alone when it exists.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from apps.accounts.demo import DemoPeople
from apps.backlog.models import Hypothesis

from . import services
from .models import CriteriaRevision, Decision, Milestone, PlanStatus, ResearchPlan

D = datetime.timedelta

# title, category, owner, sponsor, start offset, end offset (days from today), goal,
# value path, feature teams, kill criteria, confidential, hypothesis titles,
# milestones: (title, question, target offset, criteria, decision or None)
# decision: (outcome, rationale, learned, decided_by)
PLANS = [
    (
        "One-page checkout",
        "product",
        "lena",
        "sofia",
        -80,
        150,
        "Find out whether a shorter checkout raises conversion enough to rebuild the flow.",
        "Checkout team ships the merged page behind a flag; Payments adapts the express-pay "
        "buttons; rollout market by market once the lift holds.",
        ["Checkout", "Payments"],
        "Stop if the merged page does not lift checkout conversion by at least 1 % in two "
        "markets, or if payment errors rise.",
        False,
        ["One-page checkout", "Express pay buttons above the fold"],
        [
            (
                "Where do people drop off?",
                "Is the step change between shipping and payment where most drop-offs happen?",
                -35,
                "Continue if at least 25 % of checkout exits happen on the step change in the "
                "session data; otherwise abandon the one-page idea.",
                (
                    "continue",
                    "31 % of exits happen on the step change (recordings from 12,400 sessions), "
                    "above the 25 % bar we set.",
                    "The address form, not the payment form, loses most mobile users.",
                    "priya",
                ),
            ),
            (
                "Does the merged page lift conversion?",
                "Does a single checkout page raise conversion in the Nordic market?",
                9,
                "Continue if checkout conversion rises ≥ 1 % (95 % CI above 0) with no rise "
                "in payment errors; pivot to express-pay only if the lift is mobile-only; "
                "abandon otherwise.",
                None,
            ),
            (
                "Roll out to all markets?",
                "Does the lift hold in the three largest markets?",
                120,
                "Ship if the lift holds (≥ 0.7 %) in each of the three markets; continue "
                "market by market if it holds in two.",
                None,
            ),
        ],
    ),
    (
        "Sticky add-to-cart on mobile",
        "product",
        "aisha",
        "sofia",
        -150,
        20,
        "Keep the add-to-cart button in reach on long mobile product pages.",
        "Product-page team pins the button; design system adds the sticky footer component.",
        ["Product page", "Design system"],
        "Stop if add-to-cart rate does not rise, or if the footer hides content reviews rely on.",
        False,
        ["Sticky add-to-cart on mobile"],
        [
            (
                "Does a pinned button raise add-to-cart?",
                "Does pinning the button raise the mobile add-to-cart rate?",
                -90,
                "Continue if add-to-cart rises ≥ 2 % with the CI above 0; abandon if flat.",
                (
                    "continue",
                    "Add-to-cart +3.4 % (CI +1.9 to +4.9) on 210k mobile sessions.",
                    "The lift is largest on pages longer than three screens.",
                    "marco",
                ),
            ),
            (
                "Ship it?",
                "Does the lift carry through to orders without hurting returns?",
                -25,
                "Ship if orders per session rise and the return rate does not.",
                (
                    "ship",
                    "Orders per session +1.1 % (CI +0.3 to +1.9), return rate unchanged; "
                    "shipped to all mobile traffic.",
                    "Small layout changes on long pages pay off; worth checking tablets next.",
                    "priya",
                ),
            ),
        ],
    ),
    (
        "Learning-to-rank for search",
        "foundational",
        "tomas",
        "james",
        -100,
        170,
        "Replace the hand-tuned search ranking formula with a learned model that the "
        "platform can retrain every week.",
        "Search platform serves the model; the feature store provides ranking signals; "
        "Commerce benefits through search revenue once the model ships.",
        ["Search platform", "Data platform"],
        "Stop if no model variant beats the formula online within two iterations, or if "
        "p95 latency cannot stay under 60 ms.",
        False,
        ["Learning-to-rank model for search", "Query understanding: category intent"],
        [
            (
                "Offline: does the model beat the formula?",
                "Does learning-to-rank beat the formula's NDCG@10 on last quarter's logs?",
                -70,
                "Continue if NDCG@10 improves ≥ 3 % on held-out weeks; abandon otherwise.",
                (
                    "continue",
                    "NDCG@10 +6.2 % on four held-out weeks, consistent across categories.",
                    "Category-intent features carry most of the gain.",
                    "marco",
                ),
            ),
            (
                "Online: full model in production",
                "Does the full model lift search revenue per query online?",
                -18,
                "Continue if revenue per query rises ≥ 1 % and p95 latency stays < 60 ms; "
                "pivot if the lift holds but latency does not.",
                (
                    "pivot",
                    "Revenue per query +1.4 %, but p95 latency rose to 95 ms. Pivot: re-rank "
                    "only the top 50 results of the existing retrieval.",
                    "The gain comes from the top of the list; the long tail adds latency only.",
                    "priya",
                ),
            ),
            (
                "Re-ranker within the latency budget",
                "Can a top-50 re-ranker keep p95 latency under 60 ms?",
                -4,
                "Continue if p95 < 60 ms at peak traffic in the load test; abandon if two "
                "optimisation rounds cannot get there.",
                None,
            ),
            (
                "Online: re-ranker lifts revenue",
                "Does the top-50 re-ranker lift revenue per query online?",
                140,
                "Continue to rollout if revenue per query rises ≥ 0.8 % with p95 < 60 ms.",
                None,
            ),
        ],
    ),
    (
        "Decoy tier on the pricing page",
        "product",
        "lena",
        "sofia",
        -170,
        40,
        "Learn whether a premium decoy tier makes the middle tier the default choice.",
        "Pricing team adds the tier; Finance approves price points; Billing supports the "
        "new SKU only if it ships.",
        ["Pricing", "Billing"],
        "Stop if revenue per visitor does not rise ≥ 1 % after two price-point iterations.",
        True,
        ["Decoy tier on pricing"],
        [
            (
                "First price point",
                "Does a €49 premium tier shift choices to the €19 tier?",
                -120,
                "Continue if middle-tier share rises ≥ 5 points; abandon if revenue per "
                "visitor falls.",
                (
                    "continue",
                    "Middle-tier share +3 points, revenue per visitor flat; one more price "
                    "point as planned.",
                    "",
                    "priya",
                ),
            ),
            (
                "Second price point",
                "Does a €39 premium tier lift revenue per visitor?",
                -45,
                "Continue if revenue per visitor rises ≥ 1 %; otherwise the kill criteria apply.",
                (
                    "abandon",
                    "Revenue per visitor −0.4 % (CI −1.2 to +0.4) after the second price point: "
                    "the kill criterion is met. The decoy effect is too small for our traffic "
                    "mix.",
                    "Visitors on the pricing page have mostly decided already; anchoring moves "
                    "them little.",
                    "priya",
                ),
            ),
        ],
    ),
]


@transaction.atomic
def seed_roadmap(people: DemoPeople) -> str:
    group, users = people.group, people.users
    pm = users["priya"]
    today = timezone.localdate()
    created = 0
    for (
        title,
        category,
        owner,
        sponsor,
        start,
        end,
        goal,
        value_path,
        teams,
        kill,
        confidential,
        hypothesis_titles,
        milestones,
    ) in PLANS:
        if ResearchPlan.objects.filter(working_group=group, title=title).exists():
            continue
        hypotheses = list(
            Hypothesis.objects.filter(working_group=group, title__in=hypothesis_titles)
        )
        plan = services.plan_create(
            actor=pm,
            group=group,
            title=title,
            goal=goal,
            value_path=value_path,
            feature_teams=teams,
            category=category,
            owner=users[owner],
            sponsor=users[sponsor],
            start_date=today + D(days=start),
            end_date=today + D(days=end),
            kill_criteria=kill,
            confidential=confidential,
            hypotheses=hypotheses,
        )
        added = []
        for m_title, question, offset, criteria, _ in milestones:
            added.append(
                services.milestone_add(
                    actor=pm,
                    plan=plan,
                    title=m_title,
                    question=question,
                    target_date=today + D(days=offset),
                    decision_criteria=criteria,
                    hypotheses=hypotheses[:1],
                )
            )
        # The criteria were written a week before the plan started, as pre-registration asks;
        # the plan and its decision points were created then too, not at seeding time.
        written = timezone.now() + D(days=start - 7)
        ResearchPlan.objects.filter(pk=plan.pk).update(created_at=written)
        Milestone.objects.filter(plan=plan).update(registered_at=written, created_at=written)
        CriteriaRevision.objects.filter(milestone__plan=plan).update(at=written)
        services.plan_transition(actor=pm, plan=plan, status=PlanStatus.ACTIVE)
        for milestone, (_, _, offset, _, decision) in zip(added, milestones, strict=True):
            if decision is None:
                continue
            outcome, rationale, learned, decided_by = decision
            taken = services.milestone_decide(
                actor=pm,
                milestone=milestone,
                outcome=outcome,
                rationale=rationale,
                learned=learned,
                decided_by=users[decided_by],
            )
            # The story happened at the milestone's target date, not at seeding time.
            when = timezone.now() + D(days=offset + 1)
            Decision.objects.filter(pk=taken.pk).update(decided_at=when)
            if ResearchPlan.objects.get(pk=plan.pk).closed_at is not None:
                ResearchPlan.objects.filter(pk=plan.pk).update(closed_at=when)
        created += 1
    total = ResearchPlan.objects.filter(working_group=group).count()
    return f"Roadmap: {created} research plans added, {total} in {group.name}"
