from django.urls import path

from documents import views as documents
from register import views as public

app_name = "public"

urlpatterns = [
    path("", public.register, name="register"),
    path("check/", public.check_document, name="check"),
    path("signing-key.pem", public.signing_key, name="signing_key"),
    path("pcd-<int:number>/", public.decision_detail, name="decision"),
    path("pcd-<int:number>.pdf", documents.public_pdf, name="decision_pdf"),
]
