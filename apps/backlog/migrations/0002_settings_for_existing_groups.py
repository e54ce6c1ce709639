"""Every working group gets its standard frameworks and settings, so backlog reads never write.

Groups created since the backlog exists were set up as they were saved (`signals.py`); this
sets up the ones that predate it. It runs the service's own setup on the historical models,
which touches only fields present since 0001; should that setup come to need a later field,
freeze a copy of today's code here instead.
"""

from django.db import migrations

from apps.backlog.services.setup import set_up_group


def set_up_existing_groups(apps, schema_editor):
    working_group = apps.get_model("accounts", "WorkingGroup")
    settings = apps.get_model("backlog", "BacklogSettings")
    missing = working_group.objects.exclude(pk__in=settings.objects.values("working_group_id"))
    for group_id in missing.order_by("pk").values_list("pk", flat=True):
        set_up_group(group_id, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("backlog", "0001_initial"),
    ]

    operations = [
        # Backwards there is nothing to undo: the settings are what 0001's schema expects.
        migrations.RunPython(set_up_existing_groups, migrations.RunPython.noop),
    ]
