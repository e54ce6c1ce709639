"""Why a comparison's fields may be null: flags kept per cell, read out as sentences."""

from enum import IntFlag


class Caveat(IntFlag):
    EMPTY_ARM = 1
    ZERO_CONTROL_MEAN = 2
    CONTROL_NO_VARIANCE = 4
    TREATMENT_NO_VARIANCE = 8
    CUPED_MISSING_PRE = 16
    CUPED_NO_PRE_VARIANCE = 32
    NUMERIC = 64


MESSAGES = {
    Caveat.EMPTY_ARM: "An arm has no units, so nothing can be estimated.",
    Caveat.ZERO_CONTROL_MEAN: (
        "The control mean is 0, so the relative lift is undefined; "
        "the absolute effect is still reported."
    ),
    Caveat.CONTROL_NO_VARIANCE: (
        "The control has no variance (n ≤ 1, or every unit has the same value such as 0 % "
        "or 100 % conversion, or for a ratio the same numerator per unit of denominator), "
        "so the test fields are null."
    ),
    Caveat.TREATMENT_NO_VARIANCE: (
        "The treatment has no variance (n ≤ 1, or every unit has the same value such as 0 % "
        "or 100 % conversion, or for a ratio the same numerator per unit of denominator), "
        "so the test fields are null."
    ),
    Caveat.CUPED_MISSING_PRE: (
        "CUPED was not applied: the control and the treatment both need pre_sum, "
        "pre_sum_squares and sum_product."
    ),
    Caveat.CUPED_NO_PRE_VARIANCE: (
        "CUPED was not applied: the pre-period covariate does not vary across the arms compared."
    ),
    Caveat.NUMERIC: (
        "The test could not be computed: no variance is left or the numbers exceed "
        "floating-point range."
    ),
}


def messages(flags: int) -> list[str]:
    """The sentences for the caveats set in `flags`, in a stable order."""
    return [text for caveat, text in MESSAGES.items() if flags & caveat]
