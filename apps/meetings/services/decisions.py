"""Recording a decision in a meeting, applying its kind, and keeping a retried request from
recording it twice."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.text_rules import check_text
from apps.meetings import hooks, selectors
from apps.meetings.models import AgendaItem, Decision, Meeting
from apps.meetings.subjects import check_subject, subject_fields

# A payload names what a kind applies (ids, an outcome, a rationale): a few KB at most. The
# limit keeps a client from storing megabytes on a row every reader of the meeting loads.
MAX_PAYLOAD_BYTES = 8_192
MAX_PAYLOAD_DEPTH = 4


def _too_deep(payload: dict) -> bool:
    # Iterative: a payload nested hundreds deep must not exhaust the interpreter's stack.
    stack = [(payload, 1)]
    while stack:
        value, level = stack.pop()
        if level > MAX_PAYLOAD_DEPTH:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((c, level + 1) for c in children if isinstance(c, dict | list))
    return False


def _check_payload(payload) -> dict:
    """A JSON object of at most MAX_PAYLOAD_BYTES encoded, nested at most a few levels."""
    payload = payload if payload is not None else {}
    if not isinstance(payload, dict):
        raise ValidationError({"payload": "The payload is a JSON object."})
    try:
        # NaN and Infinity are not JSON: PostgreSQL's jsonb would refuse them at the save.
        size = len(json.dumps(payload, ensure_ascii=False, allow_nan=False).encode())
    except (TypeError, ValueError, RecursionError):
        raise ValidationError({"payload": "The payload holds only JSON values."}) from None
    if size > MAX_PAYLOAD_BYTES:
        raise ValidationError(
            {"payload": f"The payload is {size:,} bytes; at most {MAX_PAYLOAD_BYTES:,} are kept."}
        )
    if _too_deep(payload):
        raise ValidationError(
            {"payload": f"The payload nests at most {MAX_PAYLOAD_DEPTH} levels deep."}
        )
    return payload


def _check_request_key(request_key) -> str:
    if not isinstance(request_key, str) or len(request_key.strip()) > 64:
        raise ValidationError({"request_key": "A request key is text of at most 64 characters."})
    return request_key.strip()


def _decision_by_key(meeting: Meeting, request_key: str) -> Decision | None:
    return Decision.objects.filter(meeting=meeting, request_key=request_key).first()


@transaction.atomic
def decision_record(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    agenda_item: AgendaItem | None = None,
    subject=None,
    kind: str = "",
    payload: dict | None = None,
    request_key: str = "",
) -> Decision:
    """Record a decision; one with a kind is applied (e.g. the hypothesis accepted) in the
    same transaction, so a refused change records no decision either.

    A `request_key` (the form's per-render key, an API client's Idempotency-Key) makes a
    retry or a double submit safe: the decision first recorded with that key in this
    meeting is returned and nothing is recorded or applied again.
    """
    if not selectors.may_edit_notes(actor, meeting):
        raise PermissionDenied(
            "Only the note taker, the facilitator, the program manager and the meeting's "
            "attendees record its decisions."
        )
    request_key = _check_request_key(request_key)
    if request_key:
        earlier = _decision_by_key(meeting, request_key)
        if earlier is not None:
            return earlier
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        # The same answer as for an id that does not exist: no hint of other meetings.
        raise ValidationError({"agenda_item": "No such agenda item in this meeting."})
    check_subject(subject, meeting.working_group)
    payload = _check_payload(payload)
    registered = hooks.decision_kinds()
    if kind and kind not in registered:
        names = ", ".join(registered) or "none"
        raise ValidationError({"kind": f"Unknown decision kind {kind!r}; known kinds: {names}."})
    text = check_text("text", text)
    try:
        # A savepoint: a twin request committing the same key first makes this insert wait
        # on the unique constraint and then fail; the twin's decision is the answer.
        with transaction.atomic():
            decision = Decision.objects.create(
                meeting=meeting,
                agenda_item=agenda_item,
                text=text,
                kind=kind,
                payload=payload,
                recorded_by=actor,
                request_key=request_key,
                **subject_fields(subject),
            )
    except IntegrityError:
        earlier = _decision_by_key(meeting, request_key) if request_key else None
        if earlier is None:
            raise
        return earlier
    if kind:
        registered[kind].fn(actor=actor, decision=decision, payload=payload)
        decision.applied_at = timezone.now()
        decision.save(update_fields=["applied_at"])
    return decision
