"""The demo catalogue's past experiments: recommendations, loyalty, returns."""

from .model import E, L, PastExperiment

# Written as the team wrote them, a few fields to a line: the formatter leaves them be.
# fmt: off
ENTRIES: tuple[PastExperiment, ...] = (
    E(
        key="recs-basket-page", title="Recommendations on the basket page",
        hypothesis="Suggestions in the cart raise order value",
        change="show 'you may also like' products on the basket page",
        because="the basket page is the last place to add an item before paying",
        design="User-level 50/50 split, 3 weeks. Primary: average order value; guardrail: "
        "checkout completion.",
        surfaces=("Basket page", "Recommendations"), metric="average-order-value",
        guardrail="checkout-completion", guardrail_lift=-0.021,
        decision="dont_ship", outcome="flat",
        rationale="+0.9 %, interval -1.2 % to +3.0 %, and checkout completion -2.1 %. A "
        "distraction at the wrong moment.",
        learning=L(
            changed="Product recommendations in the cart.",
            happened="No bigger orders; fewer finished checkouts.",
            why="At the basket people want to pay; more choice slows them down.",
            next="Cross-sell on the product page (it worked there) not in the cart.",
        ),
        tags=("recommendations", "cart", "cross-sell", "aov"),
        year=2024, quarter=4, lift=0.009, ci_low=-0.012, ci_high=0.030, owner="marco",
        unit="data-science",
    ),
    E(
        key="loyalty-points-display", title="Show loyalty points earned on product pages",
        hypothesis="Showing points per product motivates loyalty members",
        change="show 'earn 59 points' beside the price for logged-in loyalty members",
        because="members forget the programme between purchases",
        design="User-level 50/50 split of loyalty members, 4 weeks. Primary: order "
        "conversion; guardrail: average order value.",
        surfaces=("Product pages", "Loyalty"), metric="order-conversion",
        guardrail="average-order-value",
        decision="ship", outcome="won",
        rationale="+2.4 %, interval +0.4 % to +4.4 %.",
        learning=L(
            changed="Points earned shown on every product for members.",
            happened="Members ordered more often.",
            why="A visible reward at the moment of decision; the programme felt real again.",
            next="Show the points balance in the header.",
        ),
        tags=("loyalty", "rewards", "pdp", "members"),
        year=2025, quarter=1, lift=0.024, ci_low=0.004, ci_high=0.044, owner="lena",
        unit="commerce",
    ),
    E(
        key="returns-free-label-removal", title="Paid return labels",
        hypothesis="Charging €2.95 for returns reduces return rates",
        change="charge €2.95 for a return label instead of free returns",
        because="returns cost us 9 % of revenue",
        design="User-level 50/50 split of new orders, 8 weeks. Primary: return rate (lower "
        "is better); guardrail: order conversion.",
        surfaces=("Returns", "Checkout page"), metric="return-rate",
        guardrail="order-conversion", guardrail_lift=-0.041,
        decision="dont_ship", outcome="won",
        rationale="Returns -12 %, but orders -4.1 %: the guardrail failed. Free returns stay.",
        learning=L(
            changed="A fee for return shipping.",
            happened="Fewer returns and clearly fewer orders.",
            why="Free returns are part of why people order clothes online at all.",
            next="Reduce returns with better sizing (the fit predictor) instead.",
        ),
        tags=("returns", "shipping", "fees", "guardrail"),
        year=2024, quarter=3, lift=-0.12, ci_low=-0.17, ci_high=-0.07, owner="priya",
        unit="commerce",
    ),
    E(
        key="recs-email-browse-abandon", title="Browse-abandonment email with viewed products",
        hypothesis="Reminding people of products they viewed brings them back",
        change="email logged-in visitors the products they looked at but did not add to cart",
        because="cart reminders work, and browsing is the step before the cart",
        design="User-level 50/50 split, 4 weeks. Primary: order conversion; guardrail: "
        "unsubscribe rate.",
        surfaces=("Emails", "Recommendations"), metric="order-conversion",
        guardrail="unsubscribe-rate", guardrail_lift=0.21,
        decision="iterate", outcome="won",
        rationale="+2.8 %, interval +0.5 % to +5.1 %, but unsubscribes +21 %: the email "
        "felt creepy to some. Iterate on frequency and wording.",
        learning=L(
            changed="A 'still thinking about it?' email after a product view.",
            happened="More orders; many more unsubscribes.",
            why="A product view is weaker intent than a basket; reminding everyone reads as "
            "surveillance.",
            next="Send only after two views of the same product.",
        ),
        tags=("email", "recommendations", "browse-abandonment", "crm", "privacy"),
        year=2025, quarter=2, lift=0.028, ci_low=0.005, ci_high=0.051, owner="aisha",
        unit="commerce",
    ),
)
# fmt: on
