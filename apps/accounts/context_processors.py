from django.urls import NoReverseMatch, reverse

# The sections every page links to; later apps register their own index view under these names.
SECTIONS = [
    ("backlog", "Backlog"),
    ("meetings", "Meetings"),
    ("roadmap", "Roadmap"),
    ("experiments", "Experiments"),
    ("conflicts", "Conflicts"),
    ("knowledge", "Knowledge base"),
    ("calculators", "Calculators"),
]


def navigation(request) -> dict:
    items = []
    for name, label in SECTIONS:
        try:
            url = reverse(f"{name}:index")
        except NoReverseMatch:
            continue
        items.append(
            {"name": name, "label": label, "url": url, "active": request.path.startswith(url)}
        )
    return {"nav_sections": items}
