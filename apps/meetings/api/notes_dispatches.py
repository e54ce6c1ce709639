"""The progress of one emailing of a meeting's notes (those who may share them only)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from apps.meetings import selectors
from apps.meetings.models import NotesDispatch


class NotesDispatchSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = NotesDispatch
        fields = ["id", "meeting", "status", "total", "sent", "error", "created_at",
                  "finished_at", "url"]  # fmt: skip
        read_only_fields = fields

    def get_url(self, dispatch) -> str:
        return reverse("meeting-notes-dispatch", args=[dispatch.pk])


class NotesDispatchView(APIView):
    """Queued, sending, sent or failed, and the copies sent of the total."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=NotesDispatchSerializer)
    def get(self, request, pk: int):
        dispatch = selectors.notes_dispatch_for(request.user, pk)
        return Response(NotesDispatchSerializer(dispatch).data)
