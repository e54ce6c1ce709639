"""The demo catalogue's past experiments: delivery and shipping."""

from .model import E, L, PastExperiment

# Written as the team wrote them, a few fields to a line: the formatter leaves them be.
# fmt: off
ENTRIES: tuple[PastExperiment, ...] = (
    E(
        key="pdp-delivery-cost", title="Show delivery cost on the product page",
        hypothesis="Showing the delivery fee on the product page cuts checkout drop-off",
        change="show the delivery cost under the price on every product page instead of "
        "revealing it at the last checkout step",
        because="exit surveys say the shipping fee appearing late in checkout feels like a "
        "hidden charge, and the payment step loses a third of its visitors",
        design="User-level 50/50 split on web product pages for 21 days. Treatment prints "
        "'Delivery €4.95, free over €49' beneath the price; control shows nothing until "
        "the payment step. Primary: order conversion; guardrail: add-to-basket rate.",
        surfaces=("Product pages", "Checkout page"), metric="order-conversion",
        guardrail="add-to-basket-rate", guardrail_lift=-0.012,
        decision="ship", outcome="won",
        rationale="Order conversion +4.1 % with the interval clear of zero; add-to-basket "
        "dipped 1.2 %, within the 3 % guardrail. Fewer baskets, but they were the ones that "
        "finish: the surprise at the payment step was costing us orders.",
        learning=L(
            changed="Delivery fees shown upfront on the product page rather than at the end "
            "of checkout.",
            happened="More visitors completed their order (+4.1 %), slightly fewer added to "
            "basket; drop-off at the payment step fell from 34 % to 29 %.",
            why="Unexpected shipping costs late in the funnel are the top abandonment reason "
            "in our surveys. Telling people early lets the ones who object leave before "
            "investing effort, and reassures the rest.",
            next="Show the delivery cost in the mini-cart too, and test the free-delivery "
            "threshold message on the basket page.",
        ),
        tags=("shipping", "delivery-fees", "checkout", "transparency", "pdp"),
        year=2025, quarter=2, lift=0.041, ci_low=0.017, ci_high=0.066, owner="lena",
        unit="commerce",
    ),
    E(
        key="free-delivery-threshold-39", title="Lower the free-delivery minimum to €39",
        hypothesis="A lower minimum order for free delivery lifts conversion",
        change="lower the minimum basket value that earns free delivery from €49 to €39",
        because="a fifth of abandoned baskets sit between €39 and €49, just short of the "
        "free-shipping threshold",
        design="Account-level 50/50 split for 4 weeks across web and app. Primary: revenue "
        "per visitor (the margin cost of shipping is in it); guardrail: average order value.",
        surfaces=("Basket page", "Checkout page"), metric="revenue-per-visitor",
        guardrail="average-order-value", guardrail_lift=-0.061,
        decision="dont_ship", outcome="lost",
        rationale="Conversion rose 2 % but revenue per visitor fell 1.8 %: average order "
        "value dropped 6 % as people stopped topping up to €49. The free-shipping threshold "
        "was doing its job as an upsell.",
        learning=L(
            changed="Free shipping from €39 instead of €49.",
            happened="More orders, smaller orders, less revenue per visitor (-1.8 %).",
            why="The €49 threshold nudges a basket up by an item; below it, people no longer "
            "add the filler product. The lost top-ups outweighed the extra orders.",
            next="Keep €49. Try a progress bar ('€6 to free delivery') rather than moving "
            "the threshold.",
        ),
        tags=("shipping", "free-shipping", "threshold", "pricing", "basket"),
        year=2024, quarter=3, lift=-0.018, ci_low=-0.034, ci_high=-0.002, owner="aisha",
        unit="commerce",
    ),
    E(
        key="free-shipping-progress-bar", title="Free-shipping progress bar in the cart",
        hypothesis="A progress bar towards free shipping raises basket size",
        change="show a bar in the cart that fills up towards the free-shipping amount",
        because="the threshold lost test showed people top up to reach free delivery, but "
        "many do not know how far they are from it",
        design="User-level 50/50 split on web and app cart for 3 weeks. Primary: average "
        "order value; guardrail: checkout completion.",
        surfaces=("Basket page",), metric="average-order-value",
        guardrail="checkout-completion", guardrail_lift=0.003,
        decision="ship", outcome="won",
        rationale="Average order value +3.2 % (interval +1.4 % to +5.0 %), checkout "
        "completion unchanged. A cheap change with a clear effect.",
        learning=L(
            changed="A 'You're €6 away from free delivery' bar in the basket.",
            happened="Baskets grew by 3.2 % on average; the share who finished checkout "
            "did not move.",
            why="Making the threshold visible turns it into a goal; people add a small item "
            "rather than pay the fee.",
            next="Suggest add-ons priced to close the gap.",
        ),
        tags=("shipping", "free-shipping", "cart", "upsell"),
        year=2024, quarter=4, lift=0.032, ci_low=0.014, ci_high=0.050, owner="aisha",
        unit="commerce",
    ),
    E(
        key="delivery-date-estimate", title="Estimated delivery date on product pages",
        hypothesis="Promising an arrival date on the PDP increases orders",
        change="show 'Arrives by Thursday' on product pages, computed from stock and carrier "
        "cut-off times",
        because="competitors show arrival dates and our support team hears 'when will it "
        "arrive?' every day",
        design="User-level 50/50 split on web product pages, 3 weeks. Primary: order "
        "conversion; guardrail: support contact rate.",
        surfaces=("Product pages",), metric="order-conversion",
        guardrail="support-contact-rate", guardrail_lift=-0.08,
        decision="ship", outcome="won",
        rationale="+2.6 % order conversion, significant; fewer 'where is my order' contacts. "
        "Carrier data was accurate enough (94 % on time).",
        learning=L(
            changed="A concrete delivery date instead of '2–4 working days'.",
            happened="Conversion up 2.6 %, support contacts about delivery down 8 %.",
            why="A date is a promise people can plan around; a range makes them guess the "
            "worst case.",
            next="Add the date to the basket and the confirmation email.",
        ),
        tags=("delivery", "shipping", "pdp", "trust"),
        year=2025, quarter=3, lift=0.026, ci_low=0.006, ci_high=0.046, owner="lena",
        unit="commerce",
    ),
    E(
        key="express-shipping-default", title="Preselect express delivery at checkout",
        hypothesis="Preselecting express shipping raises revenue without hurting conversion",
        change="preselect the €7.95 express option instead of standard delivery",
        because="a quarter of customers already pick express, and defaults are sticky",
        design="User-level 50/50 split at the delivery step for 2 weeks. Primary: checkout "
        "completion; guardrail: support contact rate.",
        surfaces=("Checkout page",), metric="checkout-completion",
        guardrail="support-contact-rate", guardrail_lift=0.19,
        decision="dont_ship", outcome="lost",
        rationale="Checkout completion fell 2.3 % and complaints about 'unexpected delivery "
        "charges' rose 19 %. A dark pattern that customers noticed.",
        learning=L(
            changed="Express delivery chosen by default.",
            happened="Fewer finished checkouts, more angry support contacts about the fee.",
            why="A higher shipping cost appearing without asking repeats the late-fee "
            "surprise we fixed on the product page.",
            next="Keep standard as the default. Offer express as a one-click upgrade.",
        ),
        tags=("shipping", "checkout", "defaults", "delivery-fees"),
        year=2025, quarter=4, lift=-0.023, ci_low=-0.037, ci_high=-0.009, owner="aisha",
        unit="commerce",
    ),
    E(
        key="click-and-collect-first", title="List click & collect first among delivery options",
        hypothesis="Putting store pickup first lowers delivery cost per order",
        change="list free click & collect above home delivery in checkout",
        because="store pickup is free for the customer and cheaper for us",
        design="User-level 50/50 split, 4 weeks, only postcodes within 10 km of a store. "
        "Primary: checkout completion; guardrail: return rate.",
        surfaces=("Checkout page",), metric="checkout-completion",
        guardrail="return-rate",
        decision="inconclusive", outcome="flat",
        rationale="Pickup share rose from 11 % to 15 % but checkout completion was flat "
        "(-0.4 %, interval -1.6 % to +0.8 %). No harm, no measurable gain in completion; the "
        "logistics saving is outside this test.",
        learning=L(
            changed="Order of the delivery options.",
            happened="More pickups, the same checkout completion.",
            why="The option order shifts the choice among people who would buy anyway.",
            next="Finance to value the logistics saving; decide on cost, not conversion.",
        ),
        tags=("delivery", "click-and-collect", "checkout", "stores"),
        year=2024, quarter=2, lift=-0.004, ci_low=-0.016, ci_high=0.008, owner="lena",
        unit="commerce",
    ),
)
# fmt: on
