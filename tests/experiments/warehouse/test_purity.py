import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_the_package_imports_no_django_and_nothing_else_of_apps():
    # A fresh interpreter: this test session itself has loaded Django already.
    check = (
        "import sys, apps.experiments.warehouse, apps.experiments.warehouse.demo_data; "
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework') "
        "or (m.startswith('apps.') and not m.startswith('apps.experiments.warehouse') "
        "and m != 'apps.experiments')); "
        "print(loaded); sys.exit(bool(loaded))"
    )

    result = subprocess.run(
        [sys.executable, "-c", check], cwd=REPO, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stdout + result.stderr
