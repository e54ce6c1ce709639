import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_the_engine_imports_without_django():
    # A fresh interpreter: this test session may have loaded Django already.
    check = (
        "import sys, apps.conflicts.detection; "
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework')); "
        "print(loaded); sys.exit(bool(loaded))"
    )

    result = subprocess.run(
        [sys.executable, "-c", check], cwd=REPO, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stdout + result.stderr
