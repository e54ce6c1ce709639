"""Sixty past experiments of the demo program, written the way the team wrote them up.

Three years of a mid-sized shop's experimentation: checkout, search, product pages, the
homepage, emails, app onboarding, pricing, delivery, sign-up and loyalty. Wins, losses, flat
and inconclusive results, two A/A checks and two holdouts, and the stories every program
collects: a restart after a logging bug (`story="reset"`), a novelty effect that faded
(`story="novelty"`) and a Simpson's paradox from an uneven ramp (`story="simpson"`).

People write the same idea in different words (delivery / shipping, basket / cart,
sign-up / registration, PDP / product page), and the catalogue does too: searching it is a
real test of the knowledge base. `seed_knowledge` turns each entry into a hypothesis, a
designed and concluded experiment with pushed results, and a published learning; the
lift and interval here are what the results were drawn to show (the stored analysis
recomputes them from the pushed statistics, so they agree to rounding).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PastMetric:
    key: str
    name: str
    kind: str  # "binomial" or "continuous"
    baseline: float  # a rate, or a mean per unit
    sd: float | None = None  # per unit, continuous metrics only
    lower_is_better: bool = False


# fmt: off
METRICS = {
    m.key: m
    for m in (
        PastMetric("order-conversion", "Order conversion", "binomial", 0.034),
        PastMetric("add-to-basket-rate", "Add-to-basket rate", "binomial", 0.11),
        PastMetric("checkout-completion", "Checkout completion", "binomial", 0.62),
        PastMetric("revenue-per-visitor", "Revenue per visitor", "continuous", 2.4, 18.0),
        PastMetric("average-order-value", "Average order value", "continuous", 58.0, 40.0),
        PastMetric("search-click-through", "Search click-through", "binomial", 0.41),
        PastMetric("zero-result-searches", "Zero-result searches", "binomial", 0.07,
                   lower_is_better=True),
        PastMetric("email-click-rate", "Email click rate", "binomial", 0.045),
        PastMetric("unsubscribe-rate", "Unsubscribe rate", "binomial", 0.004,
                   lower_is_better=True),
        PastMetric("onboarding-completion", "Onboarding completion", "binomial", 0.52),
        PastMetric("day-7-retention", "Day-7 retention", "binomial", 0.31),
        PastMetric("registration-rate", "Registration rate", "binomial", 0.085),
        PastMetric("page-load-seconds", "Page load time (s)", "continuous", 2.1, 1.2,
                   lower_is_better=True),
        PastMetric("return-rate", "Return rate", "binomial", 0.09, lower_is_better=True),
        PastMetric("support-contact-rate", "Support contact rate", "binomial", 0.021,
                   lower_is_better=True),
        PastMetric("subscription-starts", "Subscription starts", "binomial", 0.018),
    )
}
# fmt: on


@dataclass(frozen=True)
class PastLearning:
    changed: str
    happened: str
    why: str
    next: str


@dataclass(frozen=True)
class PastExperiment:
    key: str
    title: str  # the experiment's title
    hypothesis: str  # the hypothesis's title
    change: str  # "If we …"
    because: str  # "… because"
    design: str  # the design in a few sentences
    surfaces: tuple[str, ...]
    metric: str  # the primary metric's key in METRICS
    guardrail: str  # a guardrail's key in METRICS
    decision: str  # ship / dont_ship / iterate / inconclusive
    outcome: str  # won / lost / flat / inconclusive
    rationale: str  # why the decision
    learning: PastLearning
    tags: tuple[str, ...]
    year: int
    quarter: int
    lift: float  # the primary metric's relative lift, treatment against control
    ci_low: float
    ci_high: float
    owner: str  # a demo username
    unit: str  # a business unit's slug
    type: str = "ab"  # ab, aa or holdout
    guardrail_lift: float = 0.0
    story: str = ""  # "", "reset", "novelty" or "simpson"
    variants: tuple[str, ...] = field(default=("Control", "Treatment"))

    @property
    def statement(self) -> str:
        verb = "fall" if METRICS[self.metric].lower_is_better else "rise"
        return f"If we {self.change}, {METRICS[self.metric].name.lower()} will {verb}, because {self.because}"

    @property
    def quarter_label(self) -> str:
        return f"{self.year} Q{self.quarter}"


L = PastLearning
E = PastExperiment

# Written as the team wrote them, a few fields to a line: the formatter leaves them be.
# fmt: off
CATALOGUE: tuple[PastExperiment, ...] = (
    # --- delivery and shipping -----------------------------------------------------------
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
    # --- checkout and payment ------------------------------------------------------------
    E(
        key="guest-checkout", title="Guest checkout without an account",
        hypothesis="Letting people buy without registering raises checkout completion",
        change="let shoppers check out as a guest instead of forcing them to create an account",
        because="the forced sign-up screen is where most first-time buyers leave checkout",
        design="User-level 50/50 split for new visitors, 3 weeks. Primary: checkout "
        "completion; guardrail: registration rate.",
        surfaces=("Checkout page", "Sign-up"), metric="checkout-completion",
        guardrail="registration-rate", guardrail_lift=-0.21,
        decision="ship", outcome="won",
        rationale="Checkout completion +6.8 % for new customers. Registrations fell 21 %, "
        "expected; we offer the account on the confirmation page instead.",
        learning=L(
            changed="Account creation made optional at checkout.",
            happened="Many more first-time buyers finished; fewer registered accounts.",
            why="Registration before payment is friction with no benefit to the buyer at "
            "that moment.",
            next="Offer 'save your details' after the order, one click from the guest data.",
        ),
        tags=("checkout", "guest-checkout", "registration", "friction"),
        year=2024, quarter=1, lift=0.068, ci_low=0.041, ci_high=0.095, owner="lena",
        unit="commerce",
    ),
    E(
        key="checkout-one-page", title="One-page checkout",
        hypothesis="A single-page checkout converts better than the four-step flow",
        change="collapse address, delivery, payment and review into one page",
        because="each step transition loses 3–5 % of people in the funnel data",
        design="User-level 50/50 split on web, 4 weeks. Primary: checkout completion; "
        "guardrail: page load time.",
        surfaces=("Checkout page",), metric="checkout-completion",
        guardrail="page-load-seconds", guardrail_lift=0.09,
        decision="iterate", outcome="flat",
        rationale="Flat (+0.6 %, interval -0.9 % to +2.1 %) and the page got 9 % slower. "
        "Errors on the long form offset the saved clicks.",
        learning=L(
            changed="Four checkout steps merged into one long page.",
            happened="No change in completion; validation errors per order doubled.",
            why="The steps were not the problem: the form fields were. One page showed all "
            "errors at once and people scrolled past them.",
            next="Keep the steps; fix inline validation and address autocomplete first.",
        ),
        tags=("checkout", "form", "funnel", "ux"),
        year=2024, quarter=2, lift=0.006, ci_low=-0.009, ci_high=0.021, owner="tomas",
        unit="commerce",
    ),
    E(
        key="address-autocomplete", title="Address autocomplete in checkout",
        hypothesis="Autocompleting the delivery address reduces checkout errors and drop-off",
        change="suggest full addresses as people type their postcode and street",
        because="address errors are the most common validation failure in checkout",
        design="User-level 50/50 split on web and app, 3 weeks. Primary: checkout "
        "completion; guardrail: page load time.",
        surfaces=("Checkout page",), metric="checkout-completion",
        guardrail="page-load-seconds", guardrail_lift=0.01,
        decision="ship", outcome="won",
        rationale="+2.9 % checkout completion, significant; undeliverable parcels down a "
        "third. The follow-up the one-page test asked for.",
        learning=L(
            changed="Postcode-led address lookup in the address form.",
            happened="More completed checkouts, far fewer misdelivered parcels.",
            why="Typing an address on a phone is error-prone; choosing one is not.",
            next="Autocomplete the billing address the same way.",
        ),
        tags=("checkout", "form", "address", "mobile"),
        year=2024, quarter=3, lift=0.029, ci_low=0.012, ci_high=0.046, owner="tomas",
        unit="commerce",
    ),
    E(
        key="wallet-pay-buttons", title="Express wallet buttons on the basket page",
        hypothesis="Apple Pay and Google Pay buttons in the cart speed up mobile checkout",
        change="offer Apple Pay and Google Pay buttons on the basket page, skipping the "
        "address and payment forms",
        because="mobile checkout takes three times as long as desktop and converts at half "
        "the rate",
        design="Device-level 50/50 split on mobile web, 3 weeks. Primary: order conversion; "
        "guardrail: return rate.",
        surfaces=("Basket page", "Checkout page"), metric="order-conversion",
        guardrail="return-rate",
        decision="ship", outcome="won",
        rationale="Mobile order conversion +5.3 %, interval +2.0 % to +8.6 %. 38 % of mobile "
        "orders in treatment used a wallet.",
        learning=L(
            changed="One-tap wallet payment from the cart on mobile.",
            happened="A clear conversion win on mobile; desktop unaffected.",
            why="The wallet fills address and payment in one step, removing the slowest part "
            "of mobile checkout.",
            next="Add the buttons to the product page for single-item buys.",
        ),
        tags=("checkout", "payments", "mobile", "wallet"),
        year=2025, quarter=1, lift=0.053, ci_low=0.020, ci_high=0.086, owner="tomas",
        unit="commerce",
    ),
    E(
        key="pay-later-badge", title="Buy-now-pay-later badge at checkout",
        hypothesis="Advertising pay-in-three raises conversion on larger baskets",
        change="show 'Pay in 3 interest-free instalments' next to the total for baskets "
        "over €100",
        because="baskets over €100 abandon twice as often as smaller ones",
        design="User-level 50/50 split, baskets over €100 only, 4 weeks. Primary: order "
        "conversion; guardrail: return rate.",
        surfaces=("Checkout page",), metric="order-conversion",
        guardrail="return-rate", guardrail_lift=0.04,
        decision="inconclusive", outcome="inconclusive",
        rationale="+1.9 % with an interval from -1.5 % to +5.3 %: too few large baskets to "
        "tell. Returns drifted up 4 %. Not worth the provider's fee on this evidence.",
        learning=L(
            changed="Instalment payment advertised for large baskets.",
            happened="A small positive estimate that the sample cannot separate from zero.",
            why="Only 8 % of sessions reach a €100 basket; the test was underpowered for "
            "the effect we hoped for.",
            next="Re-run only with a sample size sized for a 2 % effect (about 10 weeks).",
        ),
        tags=("checkout", "payments", "bnpl", "underpowered"),
        year=2025, quarter=2, lift=0.019, ci_low=-0.015, ci_high=0.053, owner="aisha",
        unit="commerce",
    ),
    E(
        key="checkout-trust-badges", title="Security badges next to the payment form",
        hypothesis="Trust seals near the card form reassure buyers",
        change="show the payment provider's security seals beside the card fields",
        because="user interviews mention worries about card safety on smaller shops",
        design="User-level 50/50 split for 2 weeks. Primary: checkout completion; "
        "guardrail: page load time.",
        surfaces=("Checkout page",), metric="checkout-completion",
        guardrail="page-load-seconds", guardrail_lift=0.02,
        decision="dont_ship", outcome="flat",
        rationale="No effect (+0.2 %, interval -1.0 % to +1.4 %). Not worth the clutter.",
        learning=L(
            changed="Security seals beside the payment form.",
            happened="Nothing measurable.",
            why="Our customers already trust us: most are repeat buyers. The seals answer a "
            "worry they do not have at this stage.",
            next="No follow-up; trust work belongs on the first visit, not at payment.",
        ),
        tags=("checkout", "trust", "payments"),
        year=2023, quarter=4, lift=0.002, ci_low=-0.010, ci_high=0.014, owner="aisha",
        unit="commerce",
    ),
    E(
        key="promo-code-field-collapsed", title="Hide the promo code field behind a link",
        hypothesis="A visible coupon box sends shoppers off to hunt for codes",
        change="collapse the voucher code field behind a 'Have a code?' link",
        because="session recordings show people leaving checkout to search for discount "
        "codes",
        design="User-level 50/50 split on the payment step, 3 weeks. Primary: checkout "
        "completion; guardrail: average order value.",
        surfaces=("Checkout page",), metric="checkout-completion",
        guardrail="average-order-value", guardrail_lift=0.004,
        decision="ship", outcome="won",
        rationale="+1.7 % checkout completion, significant; discount spend per order down "
        "11 %.",
        learning=L(
            changed="The coupon field became a link.",
            happened="More people finished paying and fewer used a discount code.",
            why="An empty code box tells you that others pay less; hiding it removes the "
            "prompt to go looking.",
            next="Apply codes from links automatically so email subscribers still get theirs.",
        ),
        tags=("checkout", "promo-codes", "discounts", "coupon"),
        year=2024, quarter=4, lift=0.017, ci_low=0.004, ci_high=0.030, owner="lena",
        unit="commerce",
    ),
    # --- search --------------------------------------------------------------------------
    E(
        key="search-typo-tolerance", title="Typo-tolerant search",
        hypothesis="Fuzzy matching rescues misspelt searches",
        change="match queries with up to two typos ('snekers' finds sneakers)",
        because="12 % of queries with zero results are misspellings of products we sell",
        design="Session-level 50/50 split on site search, 3 weeks. Primary: zero-result "
        "searches (lower is better); guardrail: search click-through.",
        surfaces=("Search ranking",), metric="zero-result-searches",
        guardrail="search-click-through", guardrail_lift=0.012,
        decision="ship", outcome="won",
        rationale="Zero-result searches fell 31 %; click-through up slightly. Obvious win.",
        learning=L(
            changed="Fuzzy matching with an edit distance of two.",
            happened="A third fewer empty result pages.",
            why="Most empty searches were spelling mistakes, especially on mobile keyboards.",
            next="Synonyms next: 'trainers' should find sneakers.",
        ),
        tags=("search", "typos", "fuzzy-matching", "zero-results"),
        year=2024, quarter=1, lift=-0.31, ci_low=-0.36, ci_high=-0.26, owner="tomas",
        unit="platform-engineering",
    ),
    E(
        key="search-synonyms", title="Synonym dictionary for site search",
        hypothesis="Mapping synonyms finds products people describe in their own words",
        change="expand queries with a curated synonym list (trainers = sneakers, sofa = "
        "couch, hoodie = sweatshirt)",
        because="after typo tolerance, most remaining empty searches use a different word "
        "for a product we stock",
        design="Session-level 50/50 split, 3 weeks. Primary: search click-through; guardrail: "
        "zero-result searches.",
        surfaces=("Search ranking",), metric="search-click-through",
        guardrail="zero-result-searches", guardrail_lift=-0.18,
        decision="ship", outcome="won",
        rationale="Click-through +2.4 %, significant; empty result pages down another 18 %.",
        learning=L(
            changed="A synonym list of 900 pairs applied at query time.",
            happened="More searches ended in a click; fewer found nothing.",
            why="Customers name products differently from our catalogue team.",
            next="Mine the synonyms from query reformulations instead of curating by hand.",
        ),
        tags=("search", "synonyms", "relevance", "zero-results"),
        year=2024, quarter=2, lift=0.024, ci_low=0.011, ci_high=0.037, owner="tomas",
        unit="platform-engineering",
    ),
    E(
        key="search-learning-to-rank", title="Learning-to-rank model for search results",
        hypothesis="A machine-learned ranker orders search results better than BM25 rules",
        change="rank search results with a gradient-boosted model trained on clicks and "
        "purchases",
        because="the hand-tuned boosts date from 2021 and ignore what people actually buy",
        design="Session-level 50/50 split, 4 weeks. Primary: revenue per visitor; guardrail: "
        "page load time (the model adds latency).",
        surfaces=("Search ranking",), metric="revenue-per-visitor",
        guardrail="page-load-seconds", guardrail_lift=0.03,
        decision="ship", outcome="won",
        rationale="Revenue per visitor +3.4 % (interval +1.1 % to +5.7 %); latency +3 %, "
        "within the 5 % guardrail.",
        learning=L(
            changed="BM25 with manual boosts replaced by an ML ranking model.",
            happened="More revenue from search sessions; slightly slower responses.",
            why="The model puts in-stock bestsellers first where the rules ranked by text "
            "match alone.",
            next="Retrain weekly; add personalisation features.",
        ),
        tags=("search", "ranking", "machine-learning", "ltr"),
        year=2025, quarter=1, lift=0.034, ci_low=0.011, ci_high=0.057, owner="marco",
        unit="data-science",
    ),
    E(
        key="search-personalised-ranking", title="Personalised search ranking",
        hypothesis="Ranking by a shopper's own history lifts search revenue further",
        change="add each user's past categories and brands as features of the search ranker",
        because="returning customers search within the same few brands",
        design="User-level 50/50 split, logged-in users, 4 weeks. Primary: revenue per "
        "visitor; guardrail: search click-through.",
        surfaces=("Search ranking",), metric="revenue-per-visitor",
        guardrail="search-click-through", guardrail_lift=0.005,
        decision="dont_ship", outcome="flat",
        rationale="Flat: +0.3 % with an interval of -1.5 % to +2.1 %. The extra features cost "
        "40 ms per query for nothing we can measure.",
        learning=L(
            changed="Personal history features in the ranking model.",
            happened="No measurable change in revenue or clicks.",
            why="The general ranker already captures popularity; personal history mostly "
            "repeats what people bought, which they rarely buy twice.",
            next="Personalise recommendations, not search.",
        ),
        tags=("search", "ranking", "personalisation", "machine-learning"),
        year=2025, quarter=3, lift=0.003, ci_low=-0.015, ci_high=0.021, owner="marco",
        unit="data-science",
    ),
    E(
        key="search-autocomplete-products", title="Product suggestions in the search box",
        hypothesis="Showing products while typing shortens the path to purchase",
        change="show product thumbnails in the search autocomplete dropdown, not only "
        "query suggestions",
        because="half of searches are for a specific product the shopper can already name",
        design="Session-level 50/50 split, 3 weeks. Primary: order conversion; guardrail: "
        "page load time.",
        surfaces=("Search ranking", "Homepage"), metric="order-conversion",
        guardrail="page-load-seconds", guardrail_lift=0.015,
        decision="ship", outcome="won",
        rationale="+2.1 % order conversion, significant; a third of searches now end in a "
        "click on a suggested product.",
        learning=L(
            changed="Instant product results in the search suggestions.",
            happened="More orders; fewer full search result page views.",
            why="People who know what they want skip the results page entirely.",
            next="Add price and stock to the suggestions.",
        ),
        tags=("search", "autocomplete", "typeahead", "navigation"),
        year=2024, quarter=4, lift=0.021, ci_low=0.005, ci_high=0.037, owner="tomas",
        unit="platform-engineering",
    ),
    E(
        key="search-filters-sticky", title="Sticky search filters on mobile",
        hypothesis="Keeping filters on screen helps mobile shoppers narrow results",
        change="pin the filter and sort bar to the top of mobile search results",
        because="only 6 % of mobile searchers use filters, against 22 % on desktop",
        design="Device-level 50/50 split on mobile web, 2 weeks. Primary: search "
        "click-through; guardrail: page load time.",
        surfaces=("Search ranking",), metric="search-click-through",
        guardrail="page-load-seconds",
        decision="inconclusive", outcome="inconclusive",
        rationale="Filter use doubled but click-through moved +0.9 % with an interval of "
        "-1.1 % to +2.9 %. Two weeks was too short.",
        learning=L(
            changed="Filters always visible on mobile search.",
            happened="Twice the filter use; no clear change in clicks.",
            why="Filtering is a means, not the goal; a longer test is needed to see whether "
            "it turns into purchases.",
            next="Re-run for four weeks with order conversion as primary.",
        ),
        tags=("search", "filters", "mobile", "facets"),
        year=2023, quarter=4, lift=0.009, ci_low=-0.011, ci_high=0.029, owner="tomas",
        unit="platform-engineering",
    ),
    E(
        key="search-zero-results-recs", title="Recommendations on empty search pages",
        hypothesis="Popular products on a no-results page recover lost searches",
        change="show bestsellers from the nearest category when a search finds nothing",
        because="an empty page is a dead end: 70 % of those sessions end right there",
        design="Session-level 50/50 split, 3 weeks. Primary: order conversion; guardrail: "
        "search click-through.",
        surfaces=("Search ranking", "Recommendations"), metric="order-conversion",
        guardrail="search-click-through",
        decision="dont_ship", outcome="flat",
        rationale="-0.5 % with an interval from -2.6 % to +1.6 %. People who found nothing "
        "did not want something else.",
        learning=L(
            changed="Bestsellers instead of an empty 'no results' page.",
            happened="Clicks on the suggestions, but no more orders.",
            why="A failed search has a specific intent; generic bestsellers do not meet it.",
            next="Fix the query (typos, synonyms) rather than decorate the failure.",
        ),
        tags=("search", "zero-results", "recommendations"),
        year=2024, quarter=3, lift=-0.005, ci_low=-0.026, ci_high=0.016, owner="marco",
        unit="data-science",
    ),
    # --- product pages -------------------------------------------------------------------
    E(
        key="pdp-image-gallery-zoom", title="Larger product images with zoom",
        hypothesis="Bigger product photos help people judge the item",
        change="make the product image gallery full-width with pinch-to-zoom",
        because="returns with the reason 'looks different from the photo' are rising",
        design="User-level 50/50 split on product pages, 3 weeks. Primary: add-to-basket "
        "rate; guardrail: page load time.",
        surfaces=("Product pages",), metric="add-to-basket-rate",
        guardrail="page-load-seconds", guardrail_lift=0.07,
        decision="iterate", outcome="won",
        rationale="Add-to-basket +2.2 %, significant, but pages loaded 7 % slower, past the "
        "5 % guardrail. Ship once the images are served at the right size.",
        learning=L(
            changed="Full-width gallery with zoom on the PDP.",
            happened="More add-to-cart clicks, slower pages.",
            why="Detail matters for fashion and furniture; but we served 3 MB originals.",
            next="Responsive image sizes through the CDN, then re-test the guardrail.",
        ),
        tags=("pdp", "images", "product-page", "performance"),
        year=2024, quarter=1, lift=0.022, ci_low=0.008, ci_high=0.036, owner="lena",
        unit="commerce",
    ),
    E(
        key="pdp-reviews-above-fold", title="Customer reviews above the fold",
        hypothesis="Moving the star rating and top review up raises add-to-cart",
        change="show the average rating and the most helpful review next to the price",
        because="reviews are read by 60 % of buyers but sit below four screens of specs",
        design="User-level 50/50 split on product pages, 3 weeks. Primary: add-to-basket "
        "rate; guardrail: return rate.",
        surfaces=("Product pages",), metric="add-to-basket-rate",
        guardrail="return-rate", guardrail_lift=-0.02,
        decision="ship", outcome="won",
        rationale="+3.0 % add-to-basket, interval +1.2 % to +4.8 %; returns slightly down.",
        learning=L(
            changed="Ratings and a top review moved beside the price.",
            happened="More products added to the cart, no more returns.",
            why="Social proof at the decision point answers 'is it any good?' without "
            "scrolling.",
            next="Test showing a critical review too, for credibility.",
        ),
        tags=("pdp", "reviews", "social-proof", "product-page"),
        year=2024, quarter=2, lift=0.030, ci_low=0.012, ci_high=0.048, owner="aisha",
        unit="commerce",
    ),
    E(
        key="pdp-low-stock-message", title="'Only 3 left' low-stock messages",
        hypothesis="Scarcity messages speed up purchase decisions",
        change="show 'Only N left in stock' when fewer than five items remain",
        because="urgency cues are standard at competitors",
        design="User-level 50/50 split on product pages, 3 weeks. Primary: order "
        "conversion; guardrail: return rate.",
        surfaces=("Product pages",), metric="order-conversion",
        guardrail="return-rate", guardrail_lift=0.05,
        decision="dont_ship", outcome="flat",
        rationale="+0.4 %, interval -1.6 % to +2.4 %: nothing. Returns up 5 %, and the "
        "brand team dislikes the pressure.",
        learning=L(
            changed="Low-stock urgency messages on product pages.",
            happened="No measurable change in orders; slightly more returns.",
            why="Few products are ever low on stock, so few visitors saw it; those who did "
            "bought in a hurry and returned more.",
            next="None. Urgency is not our tone.",
        ),
        tags=("pdp", "scarcity", "urgency", "product-page"),
        year=2023, quarter=4, lift=0.004, ci_low=-0.016, ci_high=0.024, owner="aisha",
        unit="commerce",
    ),
    E(
        key="pdp-size-guide-fit", title="Fit predictor on fashion product pages",
        hypothesis="Recommending a size cuts returns for fit",
        change="ask height and usual size, then recommend a size on fashion product pages",
        because="'wrong size' is 45 % of fashion returns",
        design="User-level 50/50 split on fashion PDPs, 6 weeks (returns arrive late). "
        "Primary: return rate (lower is better); guardrail: order conversion.",
        surfaces=("Product pages",), metric="return-rate",
        guardrail="order-conversion", guardrail_lift=0.01,
        decision="ship", outcome="won",
        rationale="Returns -7.5 %, interval -11.8 % to -3.2 %. Conversion unchanged.",
        learning=L(
            changed="A size recommendation from two questions.",
            happened="Fewer returns for fit; the same conversion.",
            why="Sizes differ across brands; the predictor maps one brand's M to another's.",
            next="Extend to shoes.",
        ),
        tags=("pdp", "returns", "sizing", "fashion"),
        year=2025, quarter=2, lift=-0.075, ci_low=-0.118, ci_high=-0.032, owner="marco",
        unit="data-science",
    ),
    E(
        key="pdp-video", title="Product videos on the product detail page",
        hypothesis="Short videos convert better than photos alone",
        change="autoplay a muted 10-second product video as the first gallery item",
        because="video pages convert better in our category benchmarks",
        design="User-level 50/50 split, products with a video only, 3 weeks. Primary: "
        "add-to-basket rate; guardrail: page load time.",
        surfaces=("Product pages",), metric="add-to-basket-rate",
        guardrail="page-load-seconds", guardrail_lift=0.11,
        decision="dont_ship", outcome="lost",
        rationale="Add-to-basket -1.9 %, interval -3.6 % to -0.2 %; pages 11 % slower. The "
        "video pushed the price below the fold on mobile.",
        learning=L(
            changed="Autoplaying product videos first in the gallery.",
            happened="Fewer add-to-cart clicks and slower pages.",
            why="On phones the video took the first screen; people lost the price and the "
            "button.",
            next="Offer video as a later gallery item, never autoplay.",
        ),
        tags=("pdp", "video", "product-page", "performance", "mobile"),
        year=2025, quarter=1, lift=-0.019, ci_low=-0.036, ci_high=-0.002, owner="lena",
        unit="commerce",
    ),
    E(
        key="pdp-cross-sell-bundle", title="'Frequently bought together' bundles on the PDP",
        hypothesis="Bundling accessories with the main product raises order value",
        change="offer a 'frequently bought together' bundle with a 5 % discount",
        because="accessories are bought separately in a later order, if at all",
        design="User-level 50/50 split, 4 weeks. Primary: average order value; guardrail: "
        "order conversion.",
        surfaces=("Product pages", "Recommendations"), metric="average-order-value",
        guardrail="order-conversion", guardrail_lift=-0.006,
        decision="ship", outcome="won",
        rationale="Average order value +4.4 %, interval +2.1 % to +6.7 %, conversion flat.",
        learning=L(
            changed="Co-purchase bundles with a small discount.",
            happened="Bigger orders at the same conversion.",
            why="The bundle answers 'what else do I need?' at the moment of choice.",
            next="Learn bundles from co-purchase data instead of the merchandisers' lists.",
        ),
        tags=("pdp", "cross-sell", "bundles", "aov", "recommendations"),
        year=2024, quarter=3, lift=0.044, ci_low=0.021, ci_high=0.067, owner="aisha",
        unit="commerce",
    ),
    # --- homepage and navigation ---------------------------------------------------------
    E(
        key="homepage-hero-carousel-removal", title="Replace the homepage carousel with one hero",
        hypothesis="A single static hero beats a rotating carousel",
        change="replace the five-slide homepage carousel with one static hero banner",
        because="only the first slide gets clicks; the rest rotate by unseen",
        design="User-level 50/50 split, 3 weeks. Primary: revenue per visitor; guardrail: "
        "page load time.",
        surfaces=("Homepage",), metric="revenue-per-visitor",
        guardrail="page-load-seconds", guardrail_lift=-0.06,
        decision="ship", outcome="flat",
        rationale="Revenue flat (+0.5 %, interval -1.4 % to +2.4 %) and the page 6 % faster. "
        "Shipped for simplicity: no loss, less to maintain.",
        learning=L(
            changed="Carousel out, one hero in.",
            happened="The same revenue, a faster homepage.",
            why="Nobody watched the carousel; removing it lost nothing.",
            next="Use the freed space for personalised categories.",
        ),
        tags=("homepage", "carousel", "hero", "performance"),
        year=2024, quarter=1, lift=0.005, ci_low=-0.014, ci_high=0.024, owner="lena",
        unit="commerce",
    ),
    E(
        key="homepage-personalised-categories", title="Personalised category tiles on the homepage",
        hypothesis="Showing each returning visitor their own categories lifts revenue",
        change="order the homepage category tiles by each returning visitor's browsing "
        "history",
        because="returning visitors go straight to the same two or three categories",
        design="User-level 50/50 split, returning visitors, 4 weeks. Primary: revenue per "
        "visitor; guardrail: page load time.",
        surfaces=("Homepage", "Recommendations"), metric="revenue-per-visitor",
        guardrail="page-load-seconds", guardrail_lift=0.02,
        decision="ship", outcome="won", story="novelty",
        rationale="Shipped on the final read: +1.2 %, interval +0.2 % to +2.2 %. The first "
        "week showed +6 %; the effect shrank every week as visitors got used to the new "
        "layout. We decided on the settled effect, not the launch spike.",
        learning=L(
            changed="Category tiles ordered per visitor.",
            happened="A big early lift that faded to a small, real one over four weeks.",
            why="A novelty effect: returning visitors clicked the rearranged tiles out of "
            "curiosity. The cumulative chart showed the early estimate well above the final "
            "interval.",
            next="Run homepage tests for at least four weeks and read the cumulative chart "
            "before deciding.",
        ),
        tags=("homepage", "personalisation", "novelty-effect", "recommendations"),
        year=2025, quarter=3, lift=0.012, ci_low=0.002, ci_high=0.022, owner="marco",
        unit="data-science",
    ),
    E(
        key="mega-menu-simplified", title="Simpler navigation menu",
        hypothesis="Fewer top-level menu items make categories easier to find",
        change="cut the main menu from 14 to 7 top-level categories",
        because="tree tests show people hesitate between overlapping categories",
        design="User-level 50/50 split on web, 3 weeks. Primary: add-to-basket rate; "
        "guardrail: search click-through.",
        surfaces=("Navigation",), metric="add-to-basket-rate",
        guardrail="search-click-through", guardrail_lift=0.01,
        decision="dont_ship", outcome="lost",
        rationale="Add-to-basket -1.4 %, interval -2.7 % to -0.1 %. Sub-categories got buried "
        "one level deeper.",
        learning=L(
            changed="Seven top-level menu entries instead of fourteen.",
            happened="Slightly fewer products added to the basket; more searching.",
            why="Shoppers who knew the old menu lost their shortcuts; the merged categories "
            "were too broad.",
            next="Keep 14; rename the overlapping ones instead.",
        ),
        tags=("navigation", "menu", "information-architecture"),
        year=2023, quarter=4, lift=-0.014, ci_low=-0.027, ci_high=-0.001, owner="lena",
        unit="commerce",
    ),
    E(
        key="homepage-recently-viewed", title="Recently viewed products on the homepage",
        hypothesis="Reminding visitors what they looked at brings them back to it",
        change="show a 'recently viewed' row at the top of the homepage",
        because="40 % of purchases follow a product view in an earlier session",
        design="User-level 50/50 split, returning visitors, 3 weeks. Primary: order "
        "conversion; guardrail: page load time.",
        surfaces=("Homepage", "Recommendations"), metric="order-conversion",
        guardrail="page-load-seconds",
        decision="ship", outcome="won",
        rationale="+1.8 %, interval +0.3 % to +3.3 %.",
        learning=L(
            changed="A recently viewed row on the homepage.",
            happened="More returning visitors ordered.",
            why="It shortens the return to a product people were already considering.",
            next="Add the row to the basket page for empty baskets.",
        ),
        tags=("homepage", "recommendations", "returning-visitors"),
        year=2024, quarter=2, lift=0.018, ci_low=0.003, ci_high=0.033, owner="aisha",
        unit="commerce",
    ),
    # --- emails and notifications --------------------------------------------------------
    E(
        key="abandoned-cart-email-1h", title="Abandoned basket email after one hour",
        hypothesis="A faster cart reminder recovers more abandoned baskets",
        change="send the abandoned-cart reminder after 1 hour instead of 24",
        because="intent decays fast; a day later most people have bought elsewhere",
        design="User-level 50/50 split of abandoned baskets, 4 weeks. Primary: order "
        "conversion within 7 days; guardrail: unsubscribe rate.",
        surfaces=("Emails",), metric="order-conversion",
        guardrail="unsubscribe-rate", guardrail_lift=0.03,
        decision="ship", outcome="won",
        rationale="+7.2 % recovered orders, interval +3.1 % to +11.3 %; unsubscribes "
        "unchanged within noise.",
        learning=L(
            changed="Cart-abandonment email sent 23 hours earlier.",
            happened="Many more baskets recovered.",
            why="The reminder lands while the shopper is still deciding.",
            next="Add a second reminder at 24 hours for those who do not open the first.",
        ),
        tags=("email", "abandoned-cart", "crm", "timing"),
        year=2024, quarter=1, lift=0.072, ci_low=0.031, ci_high=0.113, owner="aisha",
        unit="commerce",
    ),
    E(
        key="abandoned-cart-discount", title="10 % discount in the cart reminder",
        hypothesis="A discount in the abandoned-basket email converts hesitant shoppers",
        change="add a 10 % voucher to the abandoned-cart email",
        because="price is the second most cited reason for abandoning",
        design="User-level 50/50 split of abandoned baskets, 4 weeks. Primary: revenue per "
        "visitor (net of the discount); guardrail: unsubscribe rate.",
        surfaces=("Emails",), metric="revenue-per-visitor",
        guardrail="unsubscribe-rate",
        decision="dont_ship", outcome="lost",
        rationale="Net revenue -2.6 %, interval -4.9 % to -0.3 %: the voucher went mostly to "
        "people who would have bought anyway.",
        learning=L(
            changed="A 10 % voucher in the cart-abandonment email.",
            happened="More orders, but less revenue after discounts.",
            why="Most abandoners come back regardless; the discount subsidised them. And "
            "regulars learnt to abandon on purpose.",
            next="No blanket discounts; target only first-time visitors if at all.",
        ),
        tags=("email", "abandoned-cart", "discounts", "crm"),
        year=2024, quarter=3, lift=-0.026, ci_low=-0.049, ci_high=-0.003, owner="aisha",
        unit="commerce",
    ),
    E(
        key="newsletter-send-time", title="Newsletter sent at each subscriber's best hour",
        hypothesis="Send-time optimisation raises newsletter clicks",
        change="send the weekly newsletter at the hour each subscriber usually opens email",
        because="open times spread from 6 am to midnight",
        design="User-level 50/50 split of subscribers, 6 sends. Primary: email click rate; "
        "guardrail: unsubscribe rate.",
        surfaces=("Emails",), metric="email-click-rate",
        guardrail="unsubscribe-rate", guardrail_lift=-0.02,
        decision="dont_ship", outcome="flat",
        rationale="+0.8 %, interval -2.4 % to +4.0 %. Not worth the vendor's add-on fee.",
        learning=L(
            changed="Per-subscriber send times.",
            happened="No measurable change in clicks.",
            why="People read newsletters when they have time, not when they arrive; the "
            "inbox holds them.",
            next="Work on content, not timing.",
        ),
        tags=("email", "newsletter", "timing", "crm"),
        year=2024, quarter=4, lift=0.008, ci_low=-0.024, ci_high=0.040, owner="aisha",
        unit="commerce",
    ),
    E(
        key="email-subject-personalised", title="First name in email subject lines",
        hypothesis="Personalised subject lines get more clicks",
        change="start promotional email subject lines with the subscriber's first name",
        because="it is the most common email best practice we do not follow",
        design="User-level 50/50 split of subscribers, 4 sends. Primary: email click rate; "
        "guardrail: unsubscribe rate.",
        surfaces=("Emails",), metric="email-click-rate",
        guardrail="unsubscribe-rate", guardrail_lift=0.06,
        decision="dont_ship", outcome="flat",
        rationale="-0.6 %, interval -3.6 % to +2.4 %: nothing, and unsubscribes up a little.",
        learning=L(
            changed="'Anna, …' subject lines.",
            happened="The same clicks, a few more unsubscribes.",
            why="Everyone does it; it reads as a marketing trick, not as personal.",
            next="None.",
        ),
        tags=("email", "personalisation", "subject-line", "crm"),
        year=2023, quarter=4, lift=-0.006, ci_low=-0.036, ci_high=0.024, owner="aisha",
        unit="commerce",
    ),
    E(
        key="push-back-in-stock", title="Back-in-stock push notifications",
        hypothesis="Notifying people when a wished-for item returns recovers lost sales",
        change="send an app push notification when a wishlisted product is back in stock",
        because="out-of-stock wishlist items are a sale we lose today",
        design="User-level 50/50 split of app users with a wishlist, 6 weeks. Primary: order "
        "conversion; guardrail: day-7 retention (push fatigue).",
        surfaces=("Notifications", "App"), metric="order-conversion",
        guardrail="day-7-retention",
        decision="ship", outcome="won",
        rationale="+4.6 %, interval +1.2 % to +8.0 %; no sign of push fatigue.",
        learning=L(
            changed="Push alerts for restocked wishlist items.",
            happened="More orders from wishlist users.",
            why="The notification arrives exactly when the blocker (stock) is gone.",
            next="Offer the same alert by email for web users.",
        ),
        tags=("notifications", "push", "app", "wishlist", "stock"),
        year=2025, quarter=2, lift=0.046, ci_low=0.012, ci_high=0.080, owner="tomas",
        unit="platform-engineering",
    ),
    E(
        key="weekly-digest-frequency", title="Cut promotional emails from three to one a week",
        hypothesis="Fewer marketing emails keep subscribers engaged longer",
        change="send one weekly promotional email instead of three",
        because="unsubscribes rise with every extra send",
        design="User-level 50/50 split of subscribers, 8 weeks. Primary: revenue per "
        "visitor; guardrail: unsubscribe rate.",
        surfaces=("Emails",), metric="revenue-per-visitor",
        guardrail="unsubscribe-rate", guardrail_lift=-0.35,
        decision="iterate", outcome="lost",
        rationale="Revenue -3.1 %, interval -5.5 % to -0.7 %, though unsubscribes fell 35 %. "
        "Try two a week.",
        learning=L(
            changed="Email frequency from three to one per week.",
            happened="Much lower unsubscribe rate but less email revenue.",
            why="Each send still brings orders; the list's health gain does not pay back "
            "within eight weeks.",
            next="Test two sends a week, and measure over a quarter.",
        ),
        tags=("email", "frequency", "crm", "fatigue"),
        year=2025, quarter=4, lift=-0.031, ci_low=-0.055, ci_high=-0.007, owner="aisha",
        unit="commerce",
    ),
    # --- app onboarding and sign-up ------------------------------------------------------
    E(
        key="app-onboarding-skip", title="Skippable app onboarding",
        hypothesis="Letting new app users skip the intro tour raises onboarding completion",
        change="add a 'Skip' button to the four-screen app welcome tour",
        because="40 % of new users close the app during the tour",
        design="Device-level 50/50 split of new installs, 3 weeks. Primary: onboarding "
        "completion; guardrail: day-7 retention.",
        surfaces=("App onboarding",), metric="onboarding-completion",
        guardrail="day-7-retention", guardrail_lift=-0.01,
        decision="ship", outcome="won",
        rationale="+8.8 %, interval +5.1 % to +12.5 %, retention unchanged.",
        learning=L(
            changed="The welcome tour became skippable.",
            happened="Many more new users reached the home screen; retention held.",
            why="The tour explained things people learn by using the app anyway.",
            next="Cut the tour to one screen.",
        ),
        tags=("app", "onboarding", "new-users", "friction"),
        year=2024, quarter=2, lift=0.088, ci_low=0.051, ci_high=0.125, owner="tomas",
        unit="platform-engineering",
    ),
    E(
        key="app-onboarding-notifications-ask", title="Ask for push permission after the first order",
        hypothesis="Asking for notification permission later gets more opt-ins",
        change="ask for push permission after the first purchase instead of at first launch",
        because="at first launch people have no reason to say yes",
        design="Device-level 50/50 split of new iOS installs, 4 weeks. Primary: day-7 "
        "retention; guardrail: onboarding completion.",
        surfaces=("App onboarding", "Notifications"), metric="day-7-retention",
        guardrail="onboarding-completion", guardrail_lift=0.02,
        decision="ship", outcome="won",
        rationale="Day-7 retention +3.9 %, interval +0.8 % to +7.0 %; opt-in rate 61 % "
        "against 38 %.",
        learning=L(
            changed="The notification permission prompt moved to after the first order.",
            happened="More users allowed notifications, and more came back within a week.",
            why="Asked in context (order updates), the permission has an obvious benefit.",
            next="Same timing for the location permission.",
        ),
        tags=("app", "onboarding", "push", "permissions", "retention"),
        year=2024, quarter=4, lift=0.039, ci_low=0.008, ci_high=0.070, owner="tomas",
        unit="platform-engineering",
    ),
    E(
        key="signup-social-login", title="Sign in with Google and Apple",
        hypothesis="Social login makes registration easier",
        change="offer 'Continue with Google' and 'Continue with Apple' on the sign-up form",
        because="the registration form's password rules are the top complaint in feedback",
        design="User-level 50/50 split of visitors reaching sign-up, 3 weeks. Primary: "
        "registration rate; guardrail: order conversion.",
        surfaces=("Sign-up",), metric="registration-rate",
        guardrail="order-conversion",
        decision="ship", outcome="won",
        rationale="Registrations +11.5 %, interval +6.9 % to +16.1 %.",
        learning=L(
            changed="Social sign-in beside the email form.",
            happened="Far more completed registrations.",
            why="No password to invent; no email to confirm.",
            next="Offer social login at checkout for guests who want an account.",
        ),
        tags=("registration", "sign-up", "login", "social-login"),
        year=2024, quarter=3, lift=0.115, ci_low=0.069, ci_high=0.161, owner="tomas",
        unit="platform-engineering",
    ),
    E(
        key="signup-wall-browse", title="Registration wall before browsing prices",
        hypothesis="Gating prices behind an account grows the customer base",
        change="require an account to see prices for trade customers' catalogue",
        because="sales wants more leads from the trade catalogue",
        design="User-level 50/50 split of trade catalogue visitors, 3 weeks. Primary: "
        "registration rate; guardrail: order conversion.",
        surfaces=("Sign-up", "Product pages"), metric="registration-rate",
        guardrail="order-conversion", guardrail_lift=-0.24,
        decision="dont_ship", outcome="won",
        rationale="Registrations +19 % but orders -24 %, far past the guardrail. A win on the "
        "primary that we will not ship.",
        learning=L(
            changed="Prices hidden until sign-up for trade visitors.",
            happened="More accounts, a quarter fewer orders.",
            why="Trade buyers compare prices across suppliers before committing; a wall "
            "sends them to the supplier without one.",
            next="Offer a quote request instead of a wall.",
        ),
        tags=("registration", "sign-up", "gating", "b2b", "guardrail"),
        year=2025, quarter=1, lift=0.19, ci_low=0.12, ci_high=0.26, owner="lena",
        unit="commerce",
    ),
    E(
        key="signup-form-fewer-fields", title="Shorter registration form",
        hypothesis="Asking only for an email and a password raises sign-ups",
        change="drop birthday, phone and title from the sign-up form",
        because="each optional field looks mandatory to most people",
        design="User-level 50/50 split, 2 weeks. Primary: registration rate; guardrail: "
        "email click rate.",
        surfaces=("Sign-up",), metric="registration-rate",
        guardrail="email-click-rate",
        decision="ship", outcome="won",
        rationale="+6.1 %, interval +2.2 % to +10.0 %.",
        learning=L(
            changed="Sign-up form from seven fields to two.",
            happened="More registrations.",
            why="Less to fill in, and nothing that feels intrusive.",
            next="Ask for the birthday later, with a reason (a birthday voucher).",
        ),
        tags=("registration", "sign-up", "form", "friction"),
        year=2023, quarter=4, lift=0.061, ci_low=0.022, ci_high=0.100, owner="tomas",
        unit="platform-engineering",
    ),
    # --- pricing and subscriptions -------------------------------------------------------
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
    # --- recommendations, loyalty, returns -----------------------------------------------
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
    # --- performance and platform --------------------------------------------------------
    E(
        key="image-cdn-webp", title="Serve product images as WebP and AVIF",
        hypothesis="Lighter image formats make pages faster and lift conversion",
        change="serve WebP or AVIF images through the CDN to browsers that support them",
        because="images are 70 % of our page weight",
        design="User-level 50/50 split, 2 weeks. Primary: page load time (lower is better); "
        "guardrail: order conversion.",
        surfaces=("Product pages", "Category pages"), metric="page-load-seconds",
        guardrail="order-conversion", guardrail_lift=0.008,
        decision="ship", outcome="won",
        rationale="Load time -14 %, interval -16 % to -12 %; conversion +0.8 % (not "
        "significant).",
        learning=L(
            changed="Modern image formats from the CDN.",
            happened="Pages much faster; conversion a touch up.",
            why="Half the bytes for the same picture.",
            next="Lazy-load below-the-fold images.",
        ),
        tags=("performance", "images", "cdn", "page-speed"),
        year=2024, quarter=1, lift=-0.14, ci_low=-0.16, ci_high=-0.12, owner="tomas",
        unit="platform-engineering",
    ),
    E(
        key="latency-injection", title="Added latency on category pages (speed test)",
        hypothesis="Slower pages cost us conversion, so speed work has a price",
        change="add 250 ms of delay to category pages for a small share of users",
        because="we need a number for what a faster page is worth before funding the work",
        design="User-level 90/10 split (10 % slowed), 2 weeks. Primary: order conversion; "
        "guardrail: page load time (expected to fail).",
        surfaces=("Category pages",), metric="order-conversion",
        guardrail="page-load-seconds", guardrail_lift=0.12,
        decision="dont_ship", outcome="lost",
        rationale="-2.2 % per 250 ms, interval -4.0 % to -0.4 %. Now we know what speed is "
        "worth: about 1 % of orders per 100 ms.",
        learning=L(
            changed="A deliberate slowdown of 250 ms.",
            happened="Fewer orders, in proportion to the delay.",
            why="Slow category pages lose people while they browse.",
            next="Use the figure to prioritise the performance backlog.",
        ),
        tags=("performance", "latency", "page-speed", "category-pages"),
        year=2025, quarter=2, lift=-0.022, ci_low=-0.040, ci_high=-0.004, owner="tomas",
        unit="platform-engineering", variants=("Control", "Slowed by 250 ms"),
    ),
    E(
        key="aa-platform-2024", title="A/A check of the new assignment service",
        hypothesis="The new assignment service splits traffic without bias",
        change="run two identical arms through the new bucketing service",
        because="every platform change must pass an A/A check before real tests use it",
        design="User-level 50/50 A/A on all pages, 2 weeks. Primary: order conversion; "
        "guardrail: page load time. Expect no difference and no sample ratio mismatch.",
        surfaces=("Platform",), metric="order-conversion",
        guardrail="page-load-seconds", type="aa",
        decision="ship", outcome="flat",
        rationale="No difference (+0.3 %, interval -1.5 % to +2.1 %), split 50.02 / 49.98, "
        "SRM p = 0.71. The service is fit for use.",
        learning=L(
            changed="Nothing: two identical arms.",
            happened="No difference and a clean split, as it should be.",
            why="The hashing is uniform and exposure logging is complete.",
            next="Re-run the A/A check after any change to assignment or logging.",
        ),
        tags=("aa-test", "platform", "assignment", "srm", "data-quality"),
        year=2024, quarter=1, lift=0.003, ci_low=-0.015, ci_high=0.021, owner="marco",
        unit="data-science", variants=("A", "B"),
    ),
    E(
        key="aa-app-sdk-2025", title="A/A check of the app SDK after the logging migration",
        hypothesis="The app's new event logging records both arms alike",
        change="run an A/A test through the new mobile SDK",
        because="the SDK migration changed how exposures are logged",
        design="Device-level 50/50 A/A on the app, 2 weeks. Primary: day-7 retention. "
        "Expect no difference.",
        surfaces=("App", "Platform"), metric="day-7-retention",
        guardrail="onboarding-completion", type="aa",
        decision="ship", outcome="flat",
        rationale="No difference (-0.4 %, interval -2.6 % to +1.8 %), no SRM.",
        learning=L(
            changed="Nothing: two identical arms on the new SDK.",
            happened="A clean A/A result.",
            why="The migration logs exposures consistently across arms.",
            next="App experiments may resume on the new SDK.",
        ),
        tags=("aa-test", "app", "sdk", "logging", "data-quality"),
        year=2025, quarter=3, lift=-0.004, ci_low=-0.026, ci_high=0.018, owner="marco",
        unit="data-science", variants=("A", "B"),
    ),
    E(
        key="holdout-recs-2024", title="Recommendations holdout 2024",
        hypothesis="All recommendation features together are worth their cost",
        change="keep 5 % of users without any recommendation widget for a quarter",
        because="each widget won its own test, but the wins may overlap",
        design="User-level 95/5 holdout for 12 weeks. Primary: revenue per visitor; "
        "guardrail: page load time.",
        surfaces=("Recommendations",), metric="revenue-per-visitor",
        guardrail="page-load-seconds", type="holdout",
        decision="ship", outcome="won",
        rationale="Recommendations are worth +5.8 % revenue per visitor (interval +2.9 % to "
        "+8.7 %), less than the 9 % the individual tests summed to.",
        learning=L(
            changed="Nothing new: a long holdout without recommendations.",
            happened="The combined value is real but smaller than the sum of the wins.",
            why="Individual winners overlap and the winner's curse inflates each one.",
            next="Keep a yearly holdout; discount single-test wins in planning.",
        ),
        tags=("holdout", "recommendations", "cumulative-impact", "winners-curse"),
        year=2024, quarter=4, lift=0.058, ci_low=0.029, ci_high=0.087, owner="marco",
        unit="data-science", variants=("Holdout", "Recommendations on"),
    ),
    E(
        key="holdout-email-2025", title="Marketing email holdout 2025",
        hypothesis="Promotional email drives incremental revenue",
        change="send no promotional email to 5 % of subscribers for three months",
        because="email gets credit for orders people would have placed anyway",
        design="User-level 95/5 holdout, 12 weeks. Primary: revenue per visitor; "
        "guardrail: day-7 retention.",
        surfaces=("Emails",), metric="revenue-per-visitor",
        guardrail="day-7-retention", type="holdout",
        decision="ship", outcome="won",
        rationale="Email is worth +3.3 % revenue (interval +0.6 % to +6.0 %), a third of what "
        "last-click attribution claims.",
        learning=L(
            changed="Nothing new: promotional email withheld from a holdout.",
            happened="Incremental revenue far below the attributed revenue.",
            why="Most emailed customers would have bought anyway.",
            next="Plan email budgets on incremental, not attributed, revenue.",
        ),
        tags=("holdout", "email", "incrementality", "attribution"),
        year=2025, quarter=4, lift=0.033, ci_low=0.006, ci_high=0.060, owner="marco",
        unit="data-science", variants=("Holdout", "Email on"),
    ),
    # --- the stories ---------------------------------------------------------------------
    E(
        key="checkout-progress-indicator", title="Checkout progress indicator (re-run)",
        hypothesis="A step indicator in checkout reduces drop-off",
        change="show 'Step 2 of 4' with a progress bar at the top of each checkout step",
        because="people do not know how long checkout will take",
        design="User-level 50/50 split, 3 weeks. Primary: checkout completion; guardrail: "
        "page load time. Restarted on day 5 after a logging bug.",
        surfaces=("Checkout page",), metric="checkout-completion",
        guardrail="page-load-seconds", story="reset",
        decision="dont_ship", outcome="flat",
        rationale="The first run showed -9 %: the new header broke the 'step viewed' event "
        "for the treatment. We reset on day 5 with fixed logging; the clean run is flat "
        "(+0.3 %, interval -0.9 % to +1.5 %).",
        learning=L(
            changed="A progress bar across the checkout steps.",
            happened="A scary early loss that was a logging bug, then nothing.",
            why="The treatment's header replaced the element the tracking listened to, so "
            "completions went unrecorded. After the fix, no real effect.",
            next="Check exposure and event counts per arm on day one of every test; an A/A "
            "guard on event volume would have caught it.",
        ),
        tags=("checkout", "logging-bug", "reset", "data-quality", "progress-bar"),
        year=2024, quarter=3, lift=0.003, ci_low=-0.009, ci_high=0.015, owner="lena",
        unit="commerce",
    ),
    E(
        key="category-sort-bestsellers", title="Sort category pages by bestsellers",
        hypothesis="Bestsellers first sells more than 'newest first'",
        change="sort category listings by sales in the last 30 days by default",
        because="new arrivals sell less than proven products",
        design="User-level split ramped 10 % → 50 % over two weeks. Primary: order "
        "conversion; guardrail: page load time. Read per ramp week after the pooled result "
        "looked odd.",
        surfaces=("Category pages",), metric="order-conversion",
        guardrail="page-load-seconds", story="simpson",
        decision="iterate", outcome="inconclusive",
        rationale="Pooled, treatment looked 4 % worse; within each ramp week it was about "
        "3 % better. Simpson's paradox: week 1 (10 % in treatment) was the sale week with "
        "high conversion for everyone, so control got most of the sale traffic. The split "
        "also fails the sample ratio check. Re-run with a fixed 50/50 split.",
        learning=L(
            changed="Bestsellers-first sorting on category pages.",
            happened="A pooled loss that reverses within each week of the ramp.",
            why="An uneven ramp met a sale week: the arms saw different mixes of weeks. "
            "Comparing them pooled mixes the sale's effect into the treatment's.",
            next="Ramps get their own analysis window; decide only on the stable split. "
            "Re-run at 50/50 from day one.",
        ),
        tags=("category-pages", "sorting", "simpsons-paradox", "ramp", "srm"),
        year=2025, quarter=4, lift=-0.04, ci_low=-0.07, ci_high=-0.01, owner="marco",
        unit="data-science",
    ),
    E(
        key="category-sort-bestsellers-rerun", title="Bestsellers-first sorting, fixed split re-run",
        hypothesis="Bestsellers first sells more than 'newest first' (re-run)",
        change="sort category listings by recent sales by default, at a fixed 50/50 split",
        because="the first test's ramp confounded the result; within each week it looked "
        "positive",
        design="User-level 50/50 from day one, 4 weeks, no ramp. Primary: order conversion; "
        "guardrail: page load time.",
        surfaces=("Category pages",), metric="order-conversion",
        guardrail="page-load-seconds",
        decision="ship", outcome="won",
        rationale="+2.7 %, interval +0.9 % to +4.5 %, clean split. The within-week reading of "
        "the first test was right.",
        learning=L(
            changed="Bestseller sorting, tested cleanly.",
            happened="A clear win, close to the per-week estimates of the confounded test.",
            why="Proven products convert better than new arrivals on default listings.",
            next="Blend in new arrivals for returning visitors.",
        ),
        tags=("category-pages", "sorting", "re-run", "merchandising"),
        year=2026, quarter=1, lift=0.027, ci_low=0.009, ci_high=0.045, owner="marco",
        unit="data-science",
    ),
    # --- 2026 ----------------------------------------------------------------------------
    E(
        key="cart-save-for-later", title="'Save for later' in the basket",
        hypothesis="Letting shoppers park items keeps them from emptying the cart",
        change="add 'save for later' beside 'remove' on each basket line",
        because="removed items are rarely re-added; saved ones might be",
        design="User-level 50/50 split, 3 weeks. Primary: order conversion; guardrail: "
        "average order value.",
        surfaces=("Basket page",), metric="order-conversion",
        guardrail="average-order-value", guardrail_lift=-0.01,
        decision="dont_ship", outcome="flat",
        rationale="-0.2 %, interval -1.9 % to +1.5 %. People used it, but it did not change "
        "what they bought.",
        learning=L(
            changed="A save-for-later list in the cart.",
            happened="Used by 9 % of basket visitors; no change in orders.",
            why="It moves items from the basket to a list, not into an order.",
            next="Merge it with the wishlist rather than keep two lists.",
        ),
        tags=("cart", "basket", "wishlist"),
        year=2026, quarter=1, lift=-0.002, ci_low=-0.019, ci_high=0.015, owner="lena",
        unit="commerce",
    ),
    E(
        key="delivery-slot-picker", title="Choose a delivery time slot at checkout",
        hypothesis="Letting people pick a delivery window raises conversion for bulky items",
        change="offer two-hour delivery slots for furniture and large appliances",
        because="missed deliveries of bulky items cost a redelivery and a complaint",
        design="User-level 50/50 split, bulky-item baskets only, 6 weeks. Primary: checkout "
        "completion; guardrail: support contact rate.",
        surfaces=("Checkout page",), metric="checkout-completion",
        guardrail="support-contact-rate", guardrail_lift=-0.15,
        decision="ship", outcome="won",
        rationale="+3.6 %, interval +0.7 % to +6.5 %; delivery complaints down 15 %.",
        learning=L(
            changed="Timed delivery windows for large items.",
            happened="More completed checkouts, fewer missed deliveries.",
            why="For a sofa, knowing when it arrives matters more than the shipping fee.",
            next="Offer paid evening slots.",
        ),
        tags=("delivery", "shipping", "checkout", "logistics", "furniture"),
        year=2026, quarter=2, lift=0.036, ci_low=0.007, ci_high=0.065, owner="lena",
        unit="commerce",
    ),
    E(
        key="shipping-fee-in-basket-total", title="Shipping estimate in the basket total",
        hypothesis="Estimating shipping in the cart total prevents checkout surprises",
        change="estimate the shipping charge from the visitor's location and include it in "
        "the basket total",
        because="the product page test showed late fees cost orders, and the basket still "
        "shows 'shipping calculated at checkout'",
        design="User-level 50/50 split, 3 weeks. Primary: checkout completion; guardrail: "
        "add-to-basket rate.",
        surfaces=("Basket page", "Checkout page"), metric="checkout-completion",
        guardrail="add-to-basket-rate",
        decision="ship", outcome="won",
        rationale="+2.3 %, interval +0.8 % to +3.8 %. Consistent with the product page "
        "result.",
        learning=L(
            changed="An estimated postage line in the cart total.",
            happened="More people who started checkout finished it.",
            why="The same mechanism as on the product page: no surprise charge at payment.",
            next="Price transparency is now a principle: no cost appears for the first time "
            "at the payment step.",
        ),
        tags=("shipping", "delivery-fees", "cart", "transparency", "checkout"),
        year=2026, quarter=2, lift=0.023, ci_low=0.008, ci_high=0.038, owner="aisha",
        unit="commerce",
    ),
    E(
        key="app-onboarding-quiz", title="Style quiz in app onboarding",
        hypothesis="A short style quiz personalises the first session",
        change="ask new app users three style questions to personalise their home feed",
        because="new users see a generic feed and half never come back",
        design="Device-level 50/50 split of new installs, 4 weeks. Primary: day-7 "
        "retention; guardrail: onboarding completion.",
        surfaces=("App onboarding", "Recommendations"), metric="day-7-retention",
        guardrail="onboarding-completion", guardrail_lift=-0.07,
        decision="dont_ship", outcome="lost",
        rationale="Retention -2.9 %, interval -5.6 % to -0.2 %; 7 % fewer finished "
        "onboarding. The quiz undid the skippable-tour win.",
        learning=L(
            changed="Three quiz screens before the first feed.",
            happened="Fewer new users finished onboarding, fewer came back.",
            why="Any screen between install and products costs users; the personalisation "
            "did not make up for it.",
            next="Learn style from the first session's browsing instead of asking.",
        ),
        tags=("app", "onboarding", "personalisation", "quiz", "new-users"),
        year=2026, quarter=2, lift=-0.029, ci_low=-0.056, ci_high=-0.002, owner="tomas",
        unit="platform-engineering",
    ),
    E(
        key="search-voice", title="Voice search in the app",
        hypothesis="Voice search helps app users find products hands-free",
        change="add a microphone button to the app's search bar",
        because="voice assistants are common and typing product names is tedious",
        design="Device-level 50/50 split of app users, 3 weeks. Primary: search "
        "click-through; guardrail: zero-result searches.",
        surfaces=("Search ranking", "App"), metric="search-click-through",
        guardrail="zero-result-searches", guardrail_lift=0.09,
        decision="dont_ship", outcome="flat",
        rationale="+0.1 %, interval -1.3 % to +1.5 %; 2 % of searches used voice, with more "
        "empty results.",
        learning=L(
            changed="Speech input for app search.",
            happened="Hardly used; no change.",
            why="People shop in public or with others around; speaking queries is awkward.",
            next="None.",
        ),
        tags=("search", "voice", "app"),
        year=2026, quarter=3, lift=0.001, ci_low=-0.013, ci_high=0.015, owner="tomas",
        unit="platform-engineering",
    ),
    E(
        key="pdp-sustainability-label", title="Sustainability labels on product pages",
        hypothesis="Eco labels attract environmentally minded shoppers",
        change="badge products with recycled materials or carbon-neutral delivery",
        because="surveys say a third of customers prefer sustainable products",
        design="User-level 50/50 split, 4 weeks. Primary: add-to-basket rate; guardrail: "
        "return rate.",
        surfaces=("Product pages", "Category pages"), metric="add-to-basket-rate",
        guardrail="return-rate",
        decision="inconclusive", outcome="inconclusive",
        rationale="+1.3 %, interval -0.6 % to +3.2 %. Stated preference did not turn into a "
        "clear behaviour change in four weeks.",
        learning=L(
            changed="Eco badges on qualifying products.",
            happened="A small, uncertain lift.",
            why="What people say in surveys and what they buy differ; the labelled range "
            "was small.",
            next="Revisit when the labelled range covers a quarter of the catalogue.",
        ),
        tags=("pdp", "sustainability", "labels", "badges"),
        year=2026, quarter=3, lift=0.013, ci_low=-0.006, ci_high=0.032, owner="aisha",
        unit="commerce",
    ),
    E(
        key="checkout-delivery-cost-early", title="Delivery options before the address step",
        hypothesis="Choosing the delivery option before entering an address speeds checkout",
        change="move the delivery method choice ahead of the address form in checkout",
        because="people want to know the shipping options and fees before typing an address",
        design="User-level 50/50 split, 3 weeks. Primary: checkout completion; guardrail: "
        "support contact rate.",
        surfaces=("Checkout page",), metric="checkout-completion",
        guardrail="support-contact-rate",
        decision="inconclusive", outcome="inconclusive",
        rationale="+1.2 %, interval -0.8 % to +3.2 %. Since the product page and basket "
        "already show the delivery fee, little surprise was left to remove.",
        learning=L(
            changed="The checkout steps reordered: delivery choice first.",
            happened="A small positive estimate we cannot distinguish from zero.",
            why="The earlier transparency work already told people the shipping cost before "
            "checkout; the order of steps adds little on top.",
            next="No follow-up; shipping cost transparency is done.",
        ),
        tags=("checkout", "delivery", "shipping", "delivery-fees"),
        year=2026, quarter=3, lift=0.012, ci_low=-0.008, ci_high=0.032, owner="lena",
        unit="commerce",
    ),
    E(
        key="registration-incentive-voucher", title="€5 voucher for creating an account",
        hypothesis="A welcome voucher converts guests into registered customers",
        change="offer a €5 voucher for the next order when a guest creates an account after "
        "checkout",
        because="guest checkout cut registrations; we want them back without the wall",
        design="User-level 50/50 split of guest buyers, 6 weeks. Primary: registration rate; "
        "guardrail: average order value.",
        surfaces=("Sign-up", "Checkout page"), metric="registration-rate",
        guardrail="average-order-value",
        decision="ship", outcome="won",
        rationale="Registrations +14 %, interval +8 % to +20 %; the vouchers pay back within "
        "the second order.",
        learning=L(
            changed="A welcome voucher for sign-up after a guest order.",
            happened="Far more guests became account holders.",
            why="A concrete reward at the moment they have just bought.",
            next="Measure second-order rates of these accounts at 90 days.",
        ),
        tags=("registration", "sign-up", "vouchers", "guest-checkout"),
        year=2026, quarter=4, lift=0.14, ci_low=0.08, ci_high=0.20, owner="aisha",
        unit="commerce",
    ),
    E(
        key="homepage-dark-mode", title="Dark mode for the app",
        hypothesis="A dark theme increases evening app sessions",
        change="follow the phone's dark-mode setting in the app",
        because="a third of app sessions happen after 9 pm",
        design="Device-level 50/50 split of app users, 4 weeks. Primary: day-7 retention; "
        "guardrail: order conversion.",
        surfaces=("App",), metric="day-7-retention",
        guardrail="order-conversion",
        decision="ship", outcome="flat",
        rationale="No effect (+0.5 %, interval -1.4 % to +2.4 %). Shipped anyway: users asked "
        "for it and it costs nothing to keep.",
        learning=L(
            changed="A dark theme following the system setting.",
            happened="No change in retention.",
            why="A comfort feature, not a reason to come back.",
            next="None; ship requests like this without a test next time.",
        ),
        tags=("app", "dark-mode", "ux", "accessibility"),
        year=2026, quarter=4, lift=0.005, ci_low=-0.014, ci_high=0.024, owner="tomas",
        unit="platform-engineering",
    ),
)
# fmt: on
