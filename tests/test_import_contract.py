"""The plugin contract (README, "Layout"), as import-linter checks it from pyproject.toml:
the floors import no feature app, meetings imports none either (features plug in through
their own meeting_hooks.py), and the statistics engine imports no Django."""

import tomllib
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
CONTRACTS = {contract["id"]: contract for contract in CONFIG["contracts"]}


@pytest.mark.parametrize("contract_id", sorted(CONTRACTS))
def test_the_contract_is_kept(contract_id, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)

    exit_code = lint_imports(
        config_filename=str(ROOT / "pyproject.toml"),
        limit_to_contracts=(contract_id,),
        no_cache=True,
        no_logo=True,
    )

    assert exit_code == 0, capsys.readouterr().out


def test_every_app_is_either_a_floor_or_a_feature_in_the_contract():
    """A new app must be placed: a feature the floors may not import, or a floor itself."""
    apps = {f"apps.{p.parent.name}" for p in (ROOT / "apps").glob("*/apps.py")}
    floors = CONTRACTS["floors"]

    assert set(floors["source_modules"]) | set(floors["forbidden_modules"]) == apps
    assert set(CONTRACTS["meetings"]["forbidden_modules"]) == (
        set(floors["forbidden_modules"]) - {"apps.meetings"}
    )


def test_the_engine_contract_would_catch_a_third_party_import(tmp_path, monkeypatch, capsys):
    """The engine does import numpy: forbidding it instead of Django must break the contract,
    so a Django import would too."""
    engine = {**CONTRACTS["stats-engine"], "forbidden_modules": ["numpy"]}
    config = tmp_path / "pyproject.toml"
    config.write_text(
        "[tool.importlinter]\n"
        'root_packages = ["apps"]\n'
        f"include_external_packages = {str(CONFIG['include_external_packages']).lower()}\n"
        "[[tool.importlinter.contracts]]\n"
        + "".join(f"{key} = {_toml(value)}\n" for key, value in engine.items())
    )
    monkeypatch.chdir(ROOT)

    exit_code = lint_imports(config_filename=str(config), no_cache=True, no_logo=True)

    assert exit_code == 1
    assert "apps.stats.engine" in capsys.readouterr().out


def _toml(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(f'"{item}"' for item in value) + "]"
    return f'"{value}"'
