from django.urls import path

from finance import views

app_name = "finance"

urlpatterns = [
    path("requests/<int:pk>/annexes/", views.annexes, name="annexes"),
    path("requests/<int:pk>/annexes/<int:annex_pk>/upload/", views.upload, name="upload"),
    path("requests/<int:pk>/annexes/<int:annex_pk>/confirm/", views.confirm, name="confirm"),
    path(
        "requests/<int:pk>/annexes/<int:annex_pk>/columns/<str:token>/",
        views.map_columns,
        name="map_columns",
    ),
    path("requests/<int:pk>/tables/<int:table_pk>/", views.table_detail, name="table"),
    path("requests/<int:pk>/tables/<int:table_pk>/title/", views.table_title, name="table_title"),
    path("requests/<int:pk>/tables/<int:table_pk>/explain/", views.explain, name="explain"),
    path(
        "requests/<int:pk>/tables/<int:table_pk>/delete/", views.table_delete, name="table_delete"
    ),
    path(
        "requests/<int:pk>/tables/<int:table_pk>/rows/<int:row_pk>/",
        views.row_edit,
        name="row_edit",
    ),
]
