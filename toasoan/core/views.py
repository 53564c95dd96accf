"""GET /api/health: answers "ok" without touching the database or templates. For a
load balancer's health check, and the ceiling the views benchmark compares with."""

from django.http import HttpResponse


def health(request):
    response = HttpResponse("ok", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response
