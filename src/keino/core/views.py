from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from keino.organisations.access import public_view


@public_view
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and process supervisors: the app answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
