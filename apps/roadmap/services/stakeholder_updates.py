"""Emailing the stakeholder update: queued by a request, sent by a background job."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import User, WorkingGroup
from apps.accounts.policy import Action
from apps.roadmap import selectors, tasks, updates
from apps.roadmap.models import INTRODUCTION_MAX_CHARS, DispatchStatus, UpdateDispatch

logger = logging.getLogger(__name__)

MAX_UPDATE_DAYS = 366


def check_update_range(since: datetime.date, until: datetime.date) -> None:
    if until < since:
        raise ValidationError({"until": "The update's range ends before it starts."})
    if (until - since).days > MAX_UPDATE_DAYS:
        raise ValidationError(
            {"since": f"An update covers at most {MAX_UPDATE_DAYS} days; pick a shorter range."}
        )


def check_introduction(text: str) -> str:
    if not isinstance(text, str):
        raise ValidationError({"introduction": "The introduction is text."})
    text = text.strip()
    if len(text) > INTRODUCTION_MAX_CHARS:
        raise ValidationError(
            {"introduction": f"An introduction is at most {INTRODUCTION_MAX_CHARS:,} characters."}
        )
    return text


@transaction.atomic
def stakeholder_update_send(
    *,
    actor: User,
    group: WorkingGroup,
    since: datetime.date,
    until: datetime.date,
    introduction: str = "",
) -> UpdateDispatch:
    """Queue the emailing of the update to the group's stakeholders; a background job sends
    it (`stakeholder_update_dispatch_run`) and the returned row shows its progress. The
    program manager's `introduction` is stored with it and opens every copy.

    Checked now, so a refusal is an immediate 400 rather than a failed job: the policy, the
    range, the introduction's length, and that someone will receive it.
    """
    policy.require(actor, group, Action.MANAGE)
    check_update_range(since, until)
    introduction = check_introduction(introduction)
    recipients = selectors.stakeholders_of(group)
    if not recipients:
        raise ValidationError(
            {"working_group": f"{group.name} has no stakeholders with an email address."}
        )
    dispatch = UpdateDispatch.objects.create(
        working_group=group, since=since, until=until, requested_by=actor,
        total=len(recipients), introduction=introduction,
    )  # fmt: skip
    # After commit: the worker must find the row.
    transaction.on_commit(lambda: tasks.send_stakeholder_update.delay(dispatch.pk))
    return dispatch


def stakeholder_update_dispatch_run(dispatch_id: int) -> UpdateDispatch:
    """Email each stakeholder their own copy of the update, recording each one sent.

    One copy per person rather than one message to all: a confidential plan appears only
    in the copies of stakeholders from the sponsor's business unit. A copy already sent (the
    job redelivered after a crash) is not sent again. A failure marks the dispatch failed
    with the error, for the page to show; the copies sent before it stay recorded.
    """
    dispatch = UpdateDispatch.objects.select_related("working_group", "requested_by").get(
        pk=dispatch_id
    )
    if dispatch.status == DispatchStatus.SENT:
        return dispatch
    group = dispatch.working_group
    recipients = [m.user for m in selectors.stakeholders_of(group)]
    dispatch.status, dispatch.total, dispatch.error = DispatchStatus.SENDING, len(recipients), ""
    dispatch.save(update_fields=["status", "total", "error"])
    try:
        connection = get_connection()
        for person in recipients:
            if person.pk in dispatch.sent_to:
                continue
            update = selectors.stakeholder_update(person, group, dispatch.since, dispatch.until)
            update.introduction = dispatch.introduction
            connection.send_messages(
                [updates.as_email(update, to=person, sender=dispatch.requested_by)]
            )
            dispatch.sent_to.append(person.pk)
            dispatch.save(update_fields=["sent_to"])
    except Exception as exc:
        logger.exception("stakeholder update %s failed", dispatch.pk)
        dispatch.status, dispatch.error = DispatchStatus.FAILED, f"{type(exc).__name__}: {exc}"
    else:
        dispatch.status = DispatchStatus.SENT
    dispatch.finished_at = timezone.now()
    dispatch.save(update_fields=["status", "error", "finished_at"])
    return dispatch
