from django.urls import path

from documents import views as documents
from register import opendata
from register import views as public
from register.caching import public_cache

app_name = "public"

urlpatterns = [
    path("", public.register, name="register"),
    path("check/", public.check_document, name="check"),
    path("signing-key.pem", public.signing_key, name="signing_key"),
    path("feed/", opendata.feed, name="feed"),
    path("pcd-<int:number>/", public.decision_detail, name="decision"),
    path("pcd-<int:number>.pdf", public_cache(documents.public_pdf), name="decision_pdf"),
    path("pcd-<int:number>/annex-<int:annex>.csv", public.annex_csv_download, name="annex_csv"),
    path(
        "pcd-<int:number>/annex-<int:annex>/table-<int:table>.csv",
        public.table_csv_download,
        name="table_csv",
    ),
]
