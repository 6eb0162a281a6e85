from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views import SignInView
from ops.views import healthz

admin.site.site_header = "Police and crime decisions – administration"
admin.site.site_title = "Decisions admin"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="public:register", permanent=False)),
    path("decisions/", include("register.urls")),
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
