"""The demo catalogue's past experiments: app onboarding and sign-up."""

from .model import E, L, PastExperiment

# Written as the team wrote them, a few fields to a line: the formatter leaves them be.
# fmt: off
ENTRIES: tuple[PastExperiment, ...] = (
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
)
# fmt: on
