from django.urls import path

from decisions.views import documents, public

app_name = "public"

urlpatterns = [
    path("", public.register, name="register"),
    path("pcd-<int:number>/", public.decision_detail, name="decision"),
    path("pcd-<int:number>.pdf", documents.public_pdf, name="decision_pdf"),  # Documents (PDF)
]
