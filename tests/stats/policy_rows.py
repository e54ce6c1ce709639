"""Role-policy rows for the statistics API and the calculators page: anyone signed in."""

from tests.policy_table import Row


def analysis(c) -> dict:
    return {
        "metric_type": "binomial",
        "variants": [
            {"name": "control", "n": 1000, "sum": 100, "sum_squares": 100},
            {"name": "B", "n": 1000, "sum": 120, "sum_squares": 120},
        ],
    }


def sample_size(c) -> dict:
    return {"metric_type": "binomial", "baseline": 0.2, "mde": 0.05, "mde_type": "absolute"}


def analysis_form(c) -> dict:
    fields = {
        "metric_type": "binomial",
        "method": "frequentist",
        "level": "95",
        "correction": "none",
        "name_0": "control",
        "n_0": "1000",
        "sum_0": "100",
        "name_1": "B",
        "n_1": "1000",
        "sum_1": "120",
    }
    return {f"analysis-{name}": value for name, value in fields.items()}


def sample_size_form(c) -> dict:
    fields = {
        "metric_type": "binomial",
        "baseline": "0.2",
        "mde": "0.05",
        "mde_type": "absolute",
        "alpha": "0.05",
        "power": "0.8",
        "variants": "2",
        "correction": "bonferroni",
        "allocation": "1",
    }
    return {f"plan-{name}": value for name, value in fields.items()}


ROWS = [
    Row(None, "post", "/api/v1/stats/analyze/", 401, analysis),
    Row("outsider", "post", "/api/v1/stats/analyze/", 200, analysis),
    Row("lena", "post", "/api/v1/stats/analyze/", 200, analysis),
    Row("priya", "post", "/api/v1/stats/analyze/", 200, analysis),
    Row(None, "post", "/api/v1/stats/sample-size/", 401, sample_size),
    Row("outsider", "post", "/api/v1/stats/sample-size/", 200, sample_size),
    Row("priya", "post", "/api/v1/stats/sample-size/", 200, sample_size),
    Row(None, "get", "/calculators/", 302, page=True),
    Row("outsider", "get", "/calculators/", 200, page=True),
    Row("sofia", "get", "/calculators/", 200, page=True),
    Row(None, "post", "/calculators/analyze/", 302, analysis_form, page=True),
    Row("outsider", "post", "/calculators/analyze/", 200, analysis_form, page=True),
    Row(None, "post", "/calculators/sample-size/", 302, sample_size_form, page=True),
    Row("sofia", "post", "/calculators/sample-size/", 200, sample_size_form, page=True),
]
