"""The roadmap's modules import what they need at the top, so an import cycle shows up as an
ImportError at start-up instead of hiding in a function body. The one exception is the
task module, which imports the services inside the task (they queue it)."""

import ast
from pathlib import Path

import apps.roadmap

ROADMAP = Path(apps.roadmap.__file__).parent


def _imports_inside_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    found.append(f"{path.name}:{inner.lineno}")
    return found


def test_the_services_and_forms_import_nothing_inside_a_function():
    modules = [*sorted((ROADMAP / "services").glob("*.py")), ROADMAP / "forms.py"]

    assert modules, "the services package moved"
    assert [hit for module in modules for hit in _imports_inside_functions(module)] == []


def test_the_task_imports_the_services_inside_its_body():
    assert _imports_inside_functions(ROADMAP / "tasks.py") != []
    source = (ROADMAP / "tasks.py").read_text()
    assert "from . import services" not in source.split("@shared_task")[0]
