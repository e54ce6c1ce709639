"""Small text helpers the builders share."""


def join(*parts: str | None) -> str:
    """Non-blank parts, one paragraph each."""
    return "\n\n".join(part.strip() for part in parts if part and part.strip())
