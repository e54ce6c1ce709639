"""Numbers as the calculators show them; None (an undefined statistic) shows as a dash."""

from django import template

register = template.Library()

DASH = "—"


@register.filter
def signed_percent(value, digits: int = 2) -> str:
    """0.0123 → "+1.23 %"."""
    return DASH if value is None else f"{value * 100:+.{int(digits)}f} %"


@register.filter
def percent(value, digits: int = 1) -> str:
    """0.953 → "95.3 %"."""
    return DASH if value is None else f"{value * 100:.{int(digits)}f} %"


@register.filter
def number(value, digits: int = 4) -> str:
    """Significant digits, no trailing noise: 0.107462 → "0.1075"."""
    return DASH if value is None else f"{value:.{int(digits)}g}"


@register.filter
def p_value(value) -> str:
    """p-values below 0.0001 are shown as such rather than as 0.0000."""
    if value is None:
        return DASH
    return "< 0.0001" if value < 1e-4 else f"{value:.4f}"


@register.filter
def p_equals(value) -> str:
    """What follows "p" in a sentence: "= 0.0534", or "< 0.0001" (never "= < 0.0001")."""
    shown = p_value(value)
    return shown if shown.startswith("<") or shown == DASH else f"= {shown}"
