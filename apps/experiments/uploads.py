"""Reading an uploaded CSV of results into per-variant sufficient statistics.

Two shapes are accepted, told apart by the header: per-variant aggregates (metric, variant,
n, sum, sum_squares and optionally segment, segment_value and the CUPED or ratio sums), or
per-unit rows (metric, variant, value, optionally denominator), which are summed here. The
whole file is read and checked before anything is returned, so a bad row stores nothing;
an error names the row (as a spreadsheet numbers it, the header being row 1) and column.
"""

import csv
import io
import math
from collections import defaultdict

from django.core.exceptions import ValidationError

MAX_BYTES = 20 * 1024 * 1024
AGGREGATE = {"metric", "variant", "n", "sum", "sum_squares"}
PER_UNIT = {"metric", "variant", "value"}
OPTIONAL_SUMS = ("pre_sum", "pre_sum_squares", "sum_product", "denominator_sum",
                 "denominator_sum_squares", "cross_sum")  # fmt: skip


def _bad(row: int, column: str, rule: str) -> ValidationError:
    return ValidationError({"file": f"Row {row}, column {column}: {rule}"})


def _number(raw: str, row: int, column: str, *, whole=False, minimum=None) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise _bad(row, column, f"{raw!r} is not a number.") from None
    if not math.isfinite(value) or abs(value) > 1e150:
        raise _bad(row, column, "must be a finite number within ±1e150.")
    if whole and value != int(value):
        raise _bad(row, column, "must be a whole number.")
    if minimum is not None and value < minimum:
        raise _bad(row, column, f"must be at least {minimum:g}.")
    return value


def _text(raw: str | None, row: int, column: str, *, required=True) -> str | None:
    value = (raw or "").strip()
    if not value:
        if required:
            raise _bad(row, column, "is empty.")
        return None
    if len(value) > 120:
        raise _bad(row, column, "is longer than 120 characters.")
    return value


def read_results_csv(upload) -> list[dict]:
    if upload.size > MAX_BYTES:
        raise ValidationError({"file": f"The file is over {MAX_BYTES // 1024 // 1024} MB."})
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": "The file is not UTF-8 text."}) from None
    reader = csv.DictReader(io.StringIO(text))
    header = {name.strip() for name in reader.fieldnames or [] if name}
    if header >= AGGREGATE:
        rows = _aggregates(reader)
    elif header >= PER_UNIT:
        rows = _per_unit(reader, "denominator" in header)
    else:
        raise ValidationError(
            {"file": "The header names neither aggregates (metric, variant, n, sum, "
             "sum_squares) nor per-unit rows (metric, variant, value)."}
        )  # fmt: skip
    if not rows:
        raise ValidationError({"file": "The file has no rows."})
    return rows


def _aggregates(reader) -> list[dict]:
    rows, seen = [], set()
    for line, raw in enumerate(reader, start=2):
        row = {
            "metric": _text(raw.get("metric"), line, "metric"),
            "variant": _text(raw.get("variant"), line, "variant"),
            "segment": _text(raw.get("segment"), line, "segment", required=False),
            "segment_value": _text(raw.get("segment_value"), line, "segment_value", required=False),
            "n": int(_number(raw.get("n"), line, "n", whole=True, minimum=0)),
            "sum": _number(raw.get("sum"), line, "sum"),
            "sum_squares": _number(raw.get("sum_squares"), line, "sum_squares", minimum=0),
        }
        for name in OPTIONAL_SUMS:
            if (raw.get(name) or "").strip():
                row[name] = _number(raw[name], line, name)
        key = (row["metric"], row["variant"], row["segment"], row["segment_value"])
        if key in seen:
            raise _bad(line, "variant", "repeats a metric, variant and segment already given.")
        seen.add(key)
        rows.append(row)
    return rows


def _per_unit(reader, ratio: bool) -> list[dict]:
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0.0, 0.0, 0.0])
    for line, raw in enumerate(reader, start=2):
        key = (
            str(_text(raw.get("metric"), line, "metric")),
            str(_text(raw.get("variant"), line, "variant")),
        )
        y = _number(raw.get("value"), line, "value")
        cell = sums[key]
        cell[0] += 1
        cell[1] += y
        cell[2] += y * y
        if ratio:
            x = _number(raw.get("denominator"), line, "denominator")
            cell[3] += x
            cell[4] += x * x
            cell[5] += x * y
    rows = []
    for (metric, variant), (n, total, squares, den, den_squares, cross) in sums.items():
        row = {"metric": metric, "variant": variant, "segment": None, "segment_value": None,
               "n": int(n), "sum": total, "sum_squares": squares}  # fmt: skip
        if ratio:
            row.update(denominator_sum=den, denominator_sum_squares=den_squares, cross_sum=cross)
        rows.append(row)
    return rows
