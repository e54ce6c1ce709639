"""The demo catalogue's past experiments: product pages."""

from .model import E, L, PastExperiment

# Written as the team wrote them, a few fields to a line: the formatter leaves them be.
# fmt: off
ENTRIES: tuple[PastExperiment, ...] = (
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
)
# fmt: on
