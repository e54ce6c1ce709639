"""The demo catalogue's past experiments: pricing and subscriptions."""

from .model import E, L, PastExperiment

# Written as the team wrote them, a few fields to a line: the formatter leaves them be.
# fmt: off
ENTRIES: tuple[PastExperiment, ...] = (
    E(
        key="pricing-annual-default", title="Annual plan preselected on the pricing page",
        hypothesis="Defaulting to the annual plan raises subscription revenue",
        change="preselect the annual membership plan (two months free) on the pricing page",
        because="annual subscribers churn far less",
        design="User-level 50/50 split of pricing page visitors, 4 weeks. Primary: "
        "subscription starts; guardrail: support contact rate.",
        surfaces=("Pricing page",), metric="subscription-starts",
        guardrail="support-contact-rate", guardrail_lift=0.04,
        decision="ship", outcome="flat",
        rationale="Starts flat (-1.1 %, interval -6.0 % to +3.8 %) but the annual share rose "
        "from 22 % to 41 %: more revenue per start. Shipped on the mix.",
        learning=L(
            changed="Annual plan chosen by default.",
            happened="The same number of subscriptions, twice the annual share.",
            why="The default is read as the recommended option.",
            next="Measure 12-month revenue per start in the cohort.",
        ),
        tags=("pricing", "subscription", "membership", "defaults"),
        year=2024, quarter=2, lift=-0.011, ci_low=-0.060, ci_high=0.038, owner="aisha",
        unit="commerce",
    ),
    E(
        key="pricing-membership-price-test", title="Membership at €59 instead of €49",
        hypothesis="A higher membership price loses few subscribers",
        change="raise the yearly delivery membership from €49 to €59",
        because="members order three times a month; €10 is small against the free "
        "shipping they get",
        design="User-level 50/50 split of new visitors to the pricing page, 6 weeks. "
        "Primary: subscription starts; guardrail: order conversion.",
        surfaces=("Pricing page",), metric="subscription-starts",
        guardrail="order-conversion",
        decision="ship", outcome="lost",
        rationale="Starts -6.4 % (interval -11.5 % to -1.3 %), but revenue per start +20 %: "
        "net positive. A loss on the primary we ship on purpose.",
        learning=L(
            changed="The delivery pass price from €49 to €59.",
            happened="Fewer sign-ups, more revenue overall.",
            why="Demand for unlimited free delivery is price-inelastic among heavy buyers.",
            next="The primary should have been revenue; pick the metric we decide on.",
        ),
        tags=("pricing", "membership", "shipping", "subscription", "price-elasticity"),
        year=2025, quarter=3, lift=-0.064, ci_low=-0.115, ci_high=-0.013, owner="priya",
        unit="commerce",
    ),
    E(
        key="pricing-page-comparison-table", title="Plan comparison table on the pricing page",
        hypothesis="A side-by-side table helps people pick a plan",
        change="replace the plan cards with a feature comparison table",
        because="support gets many 'what is the difference between plans' questions",
        design="User-level 50/50 split, 3 weeks. Primary: subscription starts; guardrail: "
        "support contact rate.",
        surfaces=("Pricing page",), metric="subscription-starts",
        guardrail="support-contact-rate", guardrail_lift=-0.12,
        decision="inconclusive", outcome="inconclusive",
        rationale="+3.5 %, interval -2.9 % to +9.9 %: traffic to the pricing page is too low "
        "to read a 3 % effect in three weeks.",
        learning=L(
            changed="Plan cards became a comparison table.",
            happened="Fewer support questions; subscriptions unclear.",
            why="Underpowered: the pricing page gets 4,000 visitors a week.",
            next="Keep the table for the support saving; do not claim a conversion effect.",
        ),
        tags=("pricing", "subscription", "underpowered", "plans"),
        year=2025, quarter=4, lift=0.035, ci_low=-0.029, ci_high=0.099, owner="aisha",
        unit="commerce",
    ),
    E(
        key="price-ending-99", title="Prices ending in .99",
        hypothesis="Charm pricing raises conversion",
        change="round prices to end in .99 instead of whole euros",
        because="charm pricing is said to make prices feel lower",
        design="Product-level randomisation of 2,000 products for 4 weeks (cluster unit). "
        "Primary: order conversion; guardrail: average order value.",
        surfaces=("Product pages", "Pricing page"), metric="order-conversion",
        guardrail="average-order-value",
        decision="dont_ship", outcome="flat",
        rationale="+0.7 %, interval -1.5 % to +2.9 %. No effect on our audience.",
        learning=L(
            changed="Whole-euro prices turned into .99 prices.",
            happened="No measurable change.",
            why="Our customers compare unit prices; the ending does not matter to them.",
            next="None.",
        ),
        tags=("pricing", "charm-pricing", "psychology"),
        year=2024, quarter=1, lift=0.007, ci_low=-0.015, ci_high=0.029, owner="priya",
        unit="commerce",
    ),
)
# fmt: on
