from django.urls import path

from decisions.views import documents, staff

app_name = "staff"

urlpatterns = [
    path("", staff.dashboard, name="dashboard"),
    path("requests/new/", staff.decision_create, name="create"),
    path("requests/<int:pk>/", staff.decision_detail, name="decision"),
    path("requests/<int:pk>/part-two/", staff.part_two, name="part_two"),
    path("requests/<int:pk>/edit/summary/", staff.edit_summary, name="edit_summary"),
    path("requests/<int:pk>/edit/section/<int:number>/", staff.edit_section, name="edit_section"),
    path(
        "requests/<int:pk>/edit/paragraphs/<int:paragraph_pk>/",
        staff.edit_paragraph,
        name="edit_paragraph",
    ),
    path(
        "requests/<int:pk>/edit/paragraphs/<int:paragraph_pk>/delete/",
        staff.delete_paragraph,
        name="delete_paragraph",
    ),
    path(
        "requests/<int:pk>/edit/recommendations/",
        staff.edit_recommendations,
        name="edit_recommendations",
    ),
    path(
        "requests/<int:pk>/edit/recommendations/<int:rec_pk>/",
        staff.edit_recommendation,
        name="edit_recommendation",
    ),
    path(
        "requests/<int:pk>/edit/recommendations/<int:rec_pk>/delete/",
        staff.delete_recommendation,
        name="delete_recommendation",
    ),
    path(
        "requests/<int:pk>/edit/public-access/", staff.edit_public_access, name="edit_public_access"
    ),
    path("requests/<int:pk>/edit/part-two/", staff.edit_part_two, name="edit_part_two"),
    path("requests/<int:pk>/edit/declaration/", staff.edit_declaration, name="edit_declaration"),
    # Documents (PDF): before the catch-all route of the workflow actions.
    path("requests/<int:pk>/documents/", documents.status, name="documents"),
    path(
        "requests/<int:pk>/documents/<int:document_pk>.pdf",
        documents.download,
        name="document_pdf",
    ),
    path(
        "requests/<int:pk>/documents/<int:document_pk>/retry/",
        documents.retry,
        name="document_retry",
    ),
    path("requests/<int:pk>/<str:name>/", staff.act, name="act"),
]
