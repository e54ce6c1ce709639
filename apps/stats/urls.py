"""The calculators page: analysis and sample-size calculators for people."""

app_name = "calculators"

urlpatterns: list = []
