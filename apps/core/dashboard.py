"""Panels other apps add to the signed-in person's home dashboard.

An app registers a panel in its AppConfig.ready(): a template and a function of the user
returning that template's context (or None to hide the panel). The dashboard stays
ignorant of meetings, action items or plans; each app owns its own panel.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[object], dict | None]
    order: int = 100


_PANELS: dict[str, Panel] = {}


def register_panel(name: str, template: str, context: Callable, *, order: int = 100) -> None:
    _PANELS[name] = Panel(name, template, context, order)


def panels_for(user) -> list[dict]:
    """The registered panels with their context for this user, in order."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        context = panel.context(user)
        if context is not None:
            shown.append({"name": panel.name, "template": panel.template, "context": context})
    return shown
