"""The demo catalogue's past experiments: homepage and navigation."""

from .model import E, L, PastExperiment

# Written as the team wrote them, a few fields to a line: the formatter leaves them be.
# fmt: off
ENTRIES: tuple[PastExperiment, ...] = (
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
)
# fmt: on
