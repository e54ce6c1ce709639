"""The one error the engine raises for input it cannot analyse."""


class StatsError(ValueError):
    """Impossible or unsupported input, naming the input field at fault.

    `field` is a path such as "alpha" or "variants[1].sum_squares", so an adapter can put
    the message beside the field the person typed.
    """

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def at(self, prefix: str) -> "StatsError":
        """The same error with its field placed under `prefix` ("variants[1]")."""
        return StatsError(f"{prefix}.{self.field}", self.message)
