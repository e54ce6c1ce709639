"""The demo catalogue's past experiments: search."""

from .model import E, L, PastExperiment

# Written as the team wrote them, a few fields to a line: the formatter leaves them be.
# fmt: off
ENTRIES: tuple[PastExperiment, ...] = (
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
)
# fmt: on
