"""The demo catalogue's past experiments: 2026."""

from .model import E, L, PastExperiment

# Written as the team wrote them, a few fields to a line: the formatter leaves them be.
# fmt: off
ENTRIES: tuple[PastExperiment, ...] = (
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
