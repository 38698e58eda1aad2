from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from . import notices


class NoticeSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()


class NoticeViewSet(viewsets.ViewSet):
    serializer_class = NoticeSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(NoticeSerializer(notices.NOTICES, many=True).data)
