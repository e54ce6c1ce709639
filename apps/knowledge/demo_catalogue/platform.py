"""The demo catalogue's past experiments: performance and platform."""

from .model import E, L, PastExperiment

# Written as the team wrote them, a few fields to a line: the formatter leaves them be.
# fmt: off
ENTRIES: tuple[PastExperiment, ...] = (
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
)
# fmt: on
