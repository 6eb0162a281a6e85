from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views import SignInView
from ops.views import healthz
from register import opendata
from register import views as public
from register.api import api, openapi_schema
from register.caching import public_cache

admin.site.site_header = "Police and crime decisions – administration"
admin.site.site_title = "Decisions admin"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="public:register", permanent=False)),
    path("decisions/", include("register.urls")),
    # Open data and the pages every footer links to (register/).
    path("decisions.csv", opendata.decisions_csv, name="decisions_csv"),
    path("api/schema/", openapi_schema),
    path("api/", api.urls),
    path(
        "sitemap.xml",
        public_cache(sitemap_views.index),
        {"sitemaps": opendata.SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_cache(sitemap_views.sitemap),
        {"sitemaps": opendata.SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", opendata.robots_txt, name="robots_txt"),
    path("accessibility/", public.accessibility, name="accessibility"),
    path("contact/", public.contact, name="contact"),
    path("privacy/", public.privacy, name="privacy"),
    # Before the request pages: their last route catches any word after a request's number.
    path("", include("accounts.urls")),
    path("staff/", include("finance.urls")),
    path("staff/", include("staff.urls")),
    path(
        "sign-in/",
        SignInView.as_view(),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
