"""The program's own vocabulary: words its people use for the same thing.

A query word also matches its synonyms in the looser passes (never in the strict one, and
ranked below the word itself). Kept small and domain-specific on purpose: a general
thesaurus drags in senses nobody here means. The semantic extra covers paraphrase.
"""

GROUPS: tuple[tuple[str, ...], ...] = (
    ("delivery", "shipping", "postage", "shipment"),
    ("basket", "cart", "bag"),
    ("signup", "sign-up", "registration", "register", "account creation"),
    ("pdp", "product page", "product detail page"),
    ("plp", "category page", "listing page", "product list"),
    ("checkout", "payment step", "order flow"),
    ("price", "pricing", "cost", "fee", "charge"),
    ("discount", "coupon", "voucher", "promo code", "promotion"),
    ("email", "e-mail", "newsletter", "mailing"),
    ("notification", "push", "alert"),
    ("onboarding", "first-run", "welcome flow", "tutorial"),
    ("retention", "churn", "come back", "returning"),
    ("conversion", "purchase", "orders", "buy"),
    ("homepage", "home page", "landing page", "front page"),
    ("search", "site search", "query"),
    ("speed", "latency", "load time", "performance", "faster", "slow"),
    ("recommendation", "recommendations", "suggested", "personalised", "personalized"),
    ("reviews", "ratings", "stars", "social proof"),
    ("free", "no charge", "waived"),
    ("threshold", "minimum order", "minimum basket"),
    ("mobile", "app", "ios", "android"),
    ("subscription", "membership"),
    ("loyalty", "rewards", "points"),
    ("returns", "refund", "send back"),
    ("banner", "hero", "carousel"),
    ("button", "cta", "call to action"),
)

_BY_WORD: dict[str, list[str]] = {}
for group in GROUPS:
    for term in group:
        _BY_WORD.setdefault(term, [])
        _BY_WORD[term].extend(other for other in group if other != term)


def synonyms_of(word: str) -> list[str]:
    return list(_BY_WORD.get(word.lower(), ()))
