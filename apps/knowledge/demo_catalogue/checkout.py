"""The demo catalogue's past experiments: checkout and payment."""

from .model import E, L, PastExperiment

# Written as the team wrote them, a few fields to a line: the formatter leaves them be.
# fmt: off
ENTRIES: tuple[PastExperiment, ...] = (
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
)
# fmt: on
