"""The demo catalogue's past experiments: the stories."""

from .model import E, L, PastExperiment

# Written as the team wrote them, a few fields to a line: the formatter leaves them be.
# fmt: off
ENTRIES: tuple[PastExperiment, ...] = (
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
)
# fmt: on
