"""Membership services under concurrency: the rules hold when two changes race."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from apps.accounts import services
from apps.accounts.models import Membership, Role


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin(demo):
    group = demo.group
    Membership.objects.filter(user=demo.users["tomas"], working_group=group).update(role=Role.ADMIN)
    barrier = threading.Barrier(2)
    refused, errors = [], []

    def demote(actor, target):
        try:
            membership = Membership.objects.select_related("working_group").get(
                user=demo.users[target], working_group=group
            )
            barrier.wait(timeout=5)
            services.membership_update(
                actor=demo.users[actor], membership=membership, role=Role.MEMBER
            )
        except PermissionDenied as exc:
            refused.append(exc)
        except Exception as exc:  # surfaced below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=demote, args=a) for a in (("dana", "tomas"), ("tomas", "dana"))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors
    # The second to take the group's lock is the admin the first one just demoted.
    assert len(refused) == 1
    assert Membership.objects.filter(working_group=group, role=Role.ADMIN).count() == 1
