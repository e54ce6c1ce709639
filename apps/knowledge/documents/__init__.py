"""What each kind of item puts in the search index: one module per kind, imported at ready().

Every module here registers its kinds with `indexing.register` when imported.
"""

import importlib
import pkgutil


def load() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
