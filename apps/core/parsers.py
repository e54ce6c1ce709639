"""The API's JSON parser: rejects, as a 400, bodies no endpoint could mean.

Two shapes break far from where they enter, so they are refused here, once for every
endpoint:
- nesting deeper than any request needs (5,000 levels raised RecursionError in the decoder);
- a lone surrogate (JSON allows the escape "\\ud800"): no valid UTF-8 encodes it, so echoing
  it in an error ("… is not a valid choice") or storing it failed with UnicodeEncodeError.
"""

from rest_framework import exceptions, parsers

MAX_DEPTH = 32

TOO_DEEP = f"JSON nested deeper than {MAX_DEPTH} levels."
NOT_UNICODE = "Not valid Unicode text: it contains a lone surrogate."


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(TOO_DEEP) from None
        check_json(data)
        return data


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable(key: str) -> str:
    return key.encode("utf-8", "backslashreplace").decode("utf-8")


def check_json(data) -> None:
    """Walks the parsed body without recursion; raises ParseError or a field's ValidationError."""
    stack = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise exceptions.ParseError(TOO_DEEP)
        if isinstance(value, str):
            if not _is_unicode(value):
                raise exceptions.ValidationError({path or "non_field_errors": [NOT_UNICODE]})
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{path}.{_printable(key)}" if path else _printable(key)
                if not _is_unicode(key):
                    raise exceptions.ValidationError({name: [NOT_UNICODE]})
                stack.append((item, name, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
