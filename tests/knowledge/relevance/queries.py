"""The relevance set's queries, written as people type them, each with the items that must
appear in its first five results.

Styles: exact (the words the item uses), synonym (another word for the same thing),
paraphrase (the idea said differently), typo, partial (a word cut short) and question.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    style: str
    text: str
    expected: tuple[str, ...]


def Q(style: str, text: str, *expected: str) -> Query:
    return Query(style, text, tuple(expected))


E = "experiment:"

# fmt: off
QUERIES: tuple[Query, ...] = (
    # exact: the words the item itself uses
    Q("exact", "guest checkout", E + "guest-checkout"),
    Q("exact", "address autocomplete", E + "address-autocomplete"),
    Q("exact", "typo-tolerant search", E + "search-typo-tolerance"),
    Q("exact", "abandoned basket email", E + "abandoned-cart-email-1h", E + "abandoned-cart-discount"),
    Q("exact", "paid return labels", E + "returns-free-label-removal"),
    Q("exact", "dark mode", E + "homepage-dark-mode"),
    Q("exact", "voice search", E + "search-voice"),
    Q("exact", "A/A check", E + "aa-platform-2024", E + "aa-app-sdk-2025"),
    Q("exact", "loyalty tiers", "hypothesis:loyalty-tiers"),
    Q("exact", "checkout redesign", "plan:checkout-redesign"),
    # synonym: another word for the same thing
    Q("synonym", "shipping cost on product page", E + "pdp-delivery-cost"),
    Q("synonym", "free postage threshold", E + "free-delivery-threshold-39"),
    Q("synonym", "cart recommendations", E + "recs-basket-page"),
    Q("synonym", "sign up with google", E + "signup-social-login"),
    Q("synonym", "coupon box at checkout", E + "promo-code-field-collapsed"),
    Q("synonym", "store pickup", E + "click-and-collect-first"),
    Q("synonym", "fewer marketing newsletters", E + "weekly-digest-frequency"),
    Q("synonym", "PDP video", E + "pdp-video"),
    Q("synonym", "account creation voucher", E + "registration-incentive-voucher"),
    # paraphrase: the idea in other words
    Q("paraphrase", "show delivery cost earlier in checkout",
      E + "pdp-delivery-cost", E + "shipping-fee-in-basket-total"),
    Q("paraphrase", "make people pay for sending items back", E + "returns-free-label-removal"),
    Q("paraphrase", "let customers buy without making an account", E + "guest-checkout"),
    Q("paraphrase", "tell users when a sold out product is available again", E + "push-back-in-stock"),
    Q("paraphrase", "slower website loses sales", E + "latency-injection"),
    Q("paraphrase", "urgency messages about limited stock", E + "pdp-low-stock-message"),
    Q("paraphrase", "help shoppers pick the right size so fewer clothes come back",
      E + "pdp-size-guide-fit"),
    Q("paraphrase", "lower the minimum order for free delivery", E + "free-delivery-threshold-39"),
    Q("paraphrase", "stop the pricing experiments while legal checks them",
      "meeting_decision:pause-pricing"),
    # typo
    Q("typo", "shiping progres bar", E + "free-shipping-progress-bar"),
    Q("typo", "gest checkout", E + "guest-checkout"),
    Q("typo", "adress autocomplete", E + "address-autocomplete"),
    Q("typo", "recomendations holdout", E + "holdout-recs-2024"),
    Q("typo", "newsleter send time", E + "newsletter-send-time"),
    Q("typo", "sustainabilty label", E + "pdp-sustainability-label"),
    Q("typo", "homepage carousell", E + "homepage-hero-carousel-removal"),
    Q("typo", "personalised search rankng", E + "search-personalised-ranking"),
    # partial: a word cut short
    Q("partial", "onboard skip", E + "app-onboarding-skip"),
    Q("partial", "autocompl", E + "address-autocomplete", E + "search-autocomplete-products"),
    Q("partial", "bestsell sort", E + "category-sort-bestsellers", E + "category-sort-bestsellers-rerun"),
    Q("partial", "simpson", E + "category-sort-bestsellers"),
    Q("partial", "wallet pay", E + "wallet-pay-buttons"),
    Q("partial", "charm pric", E + "price-ending-99"),
    Q("partial", "sustainab", E + "pdp-sustainability-label"),
    Q("partial", "chatb", "hypothesis:support-chatbot"),
    # question
    Q("question", "has anyone tested free shipping thresholds?", E + "free-delivery-threshold-39"),
    Q("question", "did showing reviews higher on the page work?", E + "pdp-reviews-above-fold"),
    Q("question", "what happened when we added product videos?", E + "pdp-video"),
    Q("question", "why did the checkout progress indicator test restart?",
      E + "checkout-progress-indicator"),
    Q("question", "does a discount in the abandoned cart email help?", E + "abandoned-cart-discount"),
    Q("question", "did we ever try a one page checkout?", E + "checkout-one-page"),
    Q("question", "is promotional email really incremental?", E + "holdout-email-2025"),
    Q("question", "why was the chatbot idea rejected?", "hypothesis:support-chatbot"),
)
# fmt: on

STYLES = ("exact", "synonym", "paraphrase", "typo", "partial", "question")
