"""Panels other apps add to the signed-in person's home dashboard.

An app adds a panel in its own `panels.py`: a function of the user returning a template's
context (or None to hide the panel), decorated with `@dashboard_panel`. CoreConfig.ready()
imports every app's `panels.py`, the way meetings discovers `meeting_hooks.py`, so the
dashboard stays ignorant of meetings, action items or plans; each app owns its own panel.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules

PanelContext = Callable[[object], dict | None]


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: PanelContext
    order: int = 100


_PANELS: dict[str, Panel] = {}


def register_panel(name: str, template: str, context: PanelContext, *, order: int = 100) -> None:
    _PANELS[name] = Panel(name, template, context, order)


def dashboard_panel(
    name: str, *, template: str, order: int = 100
) -> Callable[[PanelContext], PanelContext]:
    """Register the decorated function as the context of the panel `name`; lower `order`
    comes first on the page."""

    def register(context: PanelContext) -> PanelContext:
        register_panel(name, template, context, order=order)
        return context

    return register


def autodiscover() -> None:
    """Import each installed app's `panels` module, whose decorators register its panels."""
    autodiscover_modules("panels")


def registered_panels() -> list[Panel]:
    """Every registered panel, in the order the dashboard shows them."""
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.name))


def panels_for(user) -> list[dict]:
    """The registered panels with their context for this user, in order."""
    shown = []
    for panel in registered_panels():
        context = panel.context(user)
        if context is not None:
            shown.append({"name": panel.name, "template": panel.template, "context": context})
    return shown
