"""The site's addresses, plus the trivial page every figure of the register benchmark is divided
by: the site's layout around a heading, reading nothing from the database."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

TRIVIAL = (
    '{% extends "base.html" %}{% block content %}<h1 class="govuk-heading-xl">Trivial</h1>'
    "{% endblock %}"
)


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(engines["django"].from_string(TRIVIAL).render({}, request))


urlpatterns = [path("bench/trivial/", trivial), path("", include("config.urls"))]
