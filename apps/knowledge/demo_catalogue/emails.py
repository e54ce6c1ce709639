"""The demo catalogue's past experiments: emails and notifications."""

from .model import E, L, PastExperiment

# Written as the team wrote them, a few fields to a line: the formatter leaves them be.
# fmt: off
ENTRIES: tuple[PastExperiment, ...] = (
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
)
# fmt: on
