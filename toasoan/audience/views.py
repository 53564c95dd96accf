"""POST /api/views/<article_id>: the article page's view beacon. No body, cookie
or token; answers 204 whether or not the view counted (robots and reloads learn
nothing), 404 for no such public article, 413 for a body, 429 for a flood."""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from toasoan.audience.recording import receive_beacon
from toasoan.core.addresses import client_ip

MAX_BODY = 64  # sendBeacon() without data sends nothing


@csrf_exempt
@require_POST
def view_beacon(request, article_id: str):
    if not (article_id.isascii() and article_id.isdigit()):
        return HttpResponse(status=404)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_BODY + 1
    if length > MAX_BODY:
        return HttpResponse(status=413)
    outcome = receive_beacon(
        int(article_id), client_ip(request), request.META.get("HTTP_USER_AGENT", "")
    )
    status = {"missing": 404, "limited": 429}.get(outcome, 204)
    response = HttpResponse(status=status)
    response["Cache-Control"] = "no-store"
    return response
