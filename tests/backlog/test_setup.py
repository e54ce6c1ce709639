"""Every working group has its frameworks and settings, so reading the backlog never writes."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from apps.accounts.models import WorkingGroup
from apps.backlog import selectors
from apps.backlog.models import BacklogSettings, ScoringFramework

pytestmark = pytest.mark.django_db

migration_0002 = importlib.import_module(
    "apps.backlog.migrations.0002_settings_for_existing_groups"
)


def historical_apps():
    """The models as migration 0002 sees them: the state after 0001."""
    loader = MigrationLoader(connection)
    return loader.project_state(("backlog", "0001_initial"), at_end=True).apps


def new_group(demo, name: str) -> WorkingGroup:
    return WorkingGroup.objects.create(
        name=name, slug=name.lower(), program_manager=demo.users["priya"]
    )


@pytest.fixture
def old_group(demo) -> WorkingGroup:
    """A group as it was before the backlog existed: no frameworks, no settings."""
    group = new_group(demo, "Pricing")
    BacklogSettings.objects.filter(working_group=group).delete()
    ScoringFramework.objects.filter(working_group=group).delete()
    return group


def test_it_sets_up_a_new_group_as_it_is_created(demo):
    group = new_group(demo, "Search")
    assert selectors.backlog_settings(group).framework.name == "ICE"


def test_migration_0002_sets_up_the_groups_older_than_the_backlog(old_group):
    migration_0002.set_up_existing_groups(historical_apps(), None)
    settings = selectors.backlog_settings(old_group)
    assert settings.framework.name == "ICE"
    assert settings.framework.criteria.count() == 3
    assert set(old_group.scoring_frameworks.values_list("name", flat=True)) == {
        "ICE",
        "RICE",
        "PIE",
    }


def test_migration_0002_adds_nothing_when_run_again(old_group):
    migration_0002.set_up_existing_groups(historical_apps(), None)
    counts = (BacklogSettings.objects.count(), ScoringFramework.objects.count())
    migration_0002.set_up_existing_groups(historical_apps(), None)
    assert (BacklogSettings.objects.count(), ScoringFramework.objects.count()) == counts


def test_migration_0002_keeps_the_frameworks_a_half_set_up_group_has(group):
    # The settings are gone but the frameworks, and the scores given in them, are still there.
    ice = ScoringFramework.objects.get(working_group=group, name="ICE")
    BacklogSettings.objects.filter(working_group=group).delete()
    migration_0002.set_up_existing_groups(historical_apps(), None)
    assert selectors.backlog_settings(group).framework == ice
    assert group.scoring_frameworks.filter(name="ICE").count() == 1


def test_reading_a_groups_settings_writes_nothing(old_group, django_assert_num_queries):
    with django_assert_num_queries(1), pytest.raises(BacklogSettings.DoesNotExist):
        selectors.backlog_settings(old_group)
    assert not BacklogSettings.objects.filter(working_group=old_group).exists()
