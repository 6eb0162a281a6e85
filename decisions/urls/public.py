from django.urls import path

from decisions.views import public

app_name = "public"

urlpatterns = [
    path("", public.register, name="register"),
    path("pcd-<int:number>/", public.decision_detail, name="decision"),
]
