"""Django URL patterns of each kind, for transaction names (test_route_names.py)."""
from django.http import HttpResponse
from django.urls import include, path, re_path


def hello(request):
    return HttpResponse("hello")


def item(request, item_id):
    return HttpResponse("item %d" % item_id)


def archive(request, year):
    return HttpResponse("archive %s" % year)


shop = [path("items/<int:item_id>", item)]

urlpatterns = [
    path("hello", hello),
    path("shop/", include(shop)),
    re_path(r"^archive/(?P<year>[0-9]{4})/$", archive),
]
