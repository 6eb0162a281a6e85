from django.urls import path

from documents import views as documents
from staff.views import drafting, formversions, requests, workflow

app_name = "staff"

urlpatterns = [
    path("", requests.dashboard, name="dashboard"),
    path("signed-out/", requests.signed_out, name="signed_out"),
    path("requests/new/", requests.decision_create, name="create"),
    path("requests/<int:pk>/", requests.decision_detail, name="decision"),
    path("requests/<int:pk>/part-two/", requests.part_two, name="part_two"),
    path("requests/<int:pk>/delete-draft/", drafting.delete_draft, name="delete_draft"),
    path("requests/<int:pk>/edit/summary/", drafting.edit_summary, name="edit_summary"),
    path(
        "requests/<int:pk>/edit/section/<int:number>/", drafting.edit_section, name="edit_section"
    ),
    path(
        "requests/<int:pk>/edit/section/<int:number>/text/",
        drafting.edit_section_text,
        name="edit_section_text",
    ),
    path(
        "requests/<int:pk>/edit/section/<int:number>/no-comments/",
        drafting.no_comments,
        name="no_comments",
    ),
    path(
        "requests/<int:pk>/edit/paragraphs/<int:paragraph_pk>/",
        drafting.edit_paragraph,
        name="edit_paragraph",
    ),
    path(
        "requests/<int:pk>/edit/paragraphs/<int:paragraph_pk>/delete/",
        drafting.delete_paragraph,
        name="delete_paragraph",
    ),
    path(
        "requests/<int:pk>/edit/recommendations/",
        drafting.edit_recommendations,
        name="edit_recommendations",
    ),
    path(
        "requests/<int:pk>/edit/recommendations/<int:rec_pk>/",
        drafting.edit_recommendation,
        name="edit_recommendation",
    ),
    path(
        "requests/<int:pk>/edit/recommendations/<int:rec_pk>/delete/",
        drafting.delete_recommendation,
        name="delete_recommendation",
    ),
    path(
        "requests/<int:pk>/edit/public-access/",
        drafting.edit_public_access,
        name="edit_public_access",
    ),
    path("requests/<int:pk>/edit/part-two/", drafting.edit_part_two, name="edit_part_two"),
    path("requests/<int:pk>/edit/declaration/", drafting.edit_declaration, name="edit_declaration"),
    # The versions of the form (governance).
    path("forms/", formversions.form_versions, name="form_versions"),
    path("forms/<int:form_pk>/", formversions.form_version, name="form_version"),
    path(
        "forms/<int:form_pk>/new-version/",
        formversions.form_new_version,
        name="form_new_version",
    ),
    path("forms/<int:form_pk>/date/", formversions.form_date, name="form_date"),
    path("forms/<int:form_pk>/discard/", formversions.form_discard, name="form_discard"),
    path("forms/<int:form_pk>/texts/<str:field>/", formversions.form_text, name="form_text"),
    path(
        "forms/<int:form_pk>/sections/new/",
        formversions.form_section_add,
        name="form_section_add",
    ),
    path(
        "forms/<int:form_pk>/sections/<int:section_pk>/",
        formversions.form_section,
        name="form_section",
    ),
    path(
        "forms/<int:form_pk>/sections/<int:section_pk>/remove/",
        formversions.form_section_remove,
        name="form_section_remove",
    ),
    path("forms/<int:form_pk>/declaration/new/", formversions.form_item_add, name="form_item_add"),
    path(
        "forms/<int:form_pk>/declaration/<int:item_pk>/",
        formversions.form_item,
        name="form_item",
    ),
    path(
        "forms/<int:form_pk>/declaration/<int:item_pk>/remove/",
        formversions.form_item_remove,
        name="form_item_remove",
    ),
    # The request's PDFs: before the catch-all route of the workflow actions.
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
    path("requests/<int:pk>/<str:name>/", workflow.act, name="act"),
]
