# ruff: noqa: E501 - the table of answers reads best one address a line
"""Authorisation, proven address by address: every URL pattern of the URL configuration (walked
from `get_resolver()`, the admin's included) × every role × GET and POST, on one's own request and
on someone else's, answers as the table below says. An address missing from the table fails the
test, so a new page cannot be added without deciding who may open it.

Adding an address: one line in EXPECTED, keyed by the URL's name (or, for an unnamed pattern, by
its route), with the state of the request it is tried on and the answers, in ROLES order, to a
GET and to a POST (an empty form). A URL parameter the resolver does not know yet gets a line in
PARAMETERS (or an `extra` on the row).

The answers:
  200 …      the status code (403 refused, 404 as if absent, 405 wrong method, 400 bad form)
  L          a redirect to the sign-in page (/sign-in/?next=…)
  A          a redirect to the admin's sign-in page (/admin/login/?next=…)
  R          any other redirect (after a successful POST, or to the page proper)

"Own" and "someone else's": the request is the originating officer's own; "another officer" is
an officer trying it on a request that is not theirs, and the test also tries the originating
officer on the other officer's request and expects the "another officer" answer. The Chief
Executive, the DMPC and governance act on everyone's requests alike. Every request is answered
inside a savepoint that is rolled back, so a POST that succeeds changes nothing for the next one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import RoleChange, SecondFactorChange
from decisions import services as workflow
from decisions.models import (
    Decision,
    DecisionVersion,
    DeclarationItem,
    FormTemplate,
    Paragraph,
    Recommendation,
    Signature,
    TemplateSection,
    TransitionLog,
)
from decisions.states import Status
from documents.models import DocumentKind, DocumentState, RenderedDocument
from finance import services as finance_services
from finance.models import Annex, AnnexRow, AnnexTable
from tests.factories import (
    approved_by_chief_executive,
    make_complete_draft,
    signed_off,
    submitted,
)
from tests.finance.conftest import seed_bytes
from tests.pages.helpers import use_plain_static_storage

ROLES = ("anonymous", "officer", "other", "chief", "dmpc", "governance", "no role")

DRAFT, APPROVAL, SIGNOFF, PUBLISHED = (
    Status.DRAFT,
    Status.AWAITING_APPROVAL,
    Status.AWAITING_SIGNOFF,
    Status.PUBLISHED,
)


@dataclass(frozen=True)
class Row:
    state: Status
    get: str
    post: str
    extra: dict[str, Any] = field(default_factory=dict)


# fmt: off
# Columns, in ROLES order: anonymous, officer (own request), another officer, Chief Executive,
# DMPC, governance, a user with no role.
EXPECTED: dict[str, Row] = {
    # --- public and signing in ---------------------------------------------------------------------
    "<root>":                                            Row(PUBLISHED, "R R R R R R R", "R R R R R R R"),
    "public:register":                                   Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "public:decision":                                   Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    # The test world's PDFs are stand-ins, not sealed and linked in the audit chain, so the
    # public address will not serve them (tests/audit/test_published_pdf.py serves a real one).
    "public:decision_pdf":                               Row(PUBLISHED, "404 404 404 404 404 404 404", "404 404 404 404 404 404 404"),
    "healthz":                                           Row(PUBLISHED, "H H H H H H H", "405 405 405 405 405 405 405"),
    "login":                                             Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "logout":                                            Row(PUBLISHED, "405 405 405 405 405 405 405", "R R R R R R R"),
    # --- staff pages (staff/urls.py) ---------------------------------------------------------------
    "staff:dashboard":                                   Row(DRAFT,     "L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "staff:create":                                      Row(DRAFT,     "L 200 200 403 403 403 403", "L 200 200 403 403 403 403"),
    "staff:decision":                                    Row(SIGNOFF,   "L 200 404 200 200 200 404", "L 200 404 200 200 200 404"),
    "staff:part_two":                                    Row(SIGNOFF,   "L 200 404 200 200 200 404", "L 200 404 200 200 200 404"),
    "staff:edit_summary":                                Row(DRAFT,     "L 200 404 404 404 403 404", "L 200 404 404 404 403 404"),
    "staff:edit_section":                                Row(DRAFT,     "L 200 404 404 404 403 404", "L 200 404 404 404 403 404"),
    "staff:edit_paragraph":                              Row(DRAFT,     "L 200 404 404 404 403 404", "L 200 404 404 404 403 404"),
    "staff:delete_paragraph":                            Row(DRAFT,     "L 200 404 404 404 403 404", "L R 404 404 404 403 404"),
    "staff:edit_recommendations":                        Row(DRAFT,     "L 200 404 404 404 403 404", "L 200 404 404 404 403 404"),
    "staff:edit_recommendation":                         Row(DRAFT,     "L 200 404 404 404 403 404", "L 200 404 404 404 403 404"),
    "staff:delete_recommendation":                       Row(DRAFT,     "L 200 404 404 404 403 404", "L R 404 404 404 403 404"),
    "staff:edit_public_access":                          Row(DRAFT,     "L 200 404 404 404 403 404", "L 200 404 404 404 403 404"),
    "staff:edit_part_two":                               Row(DRAFT,     "L 200 404 404 404 403 404", "L 200 404 404 404 403 404"),
    "staff:edit_declaration":                            Row(DRAFT,     "L 200 404 404 404 403 404", "L R 404 404 404 403 404"),
    "staff:delete_draft": Row(DRAFT, "L 200 404 404 404 403 404", "L R 404 404 404 403 404"),
    "staff:edit_section_text": Row(DRAFT, "L 200 404 404 404 403 404", "L R 404 404 404 403 404"),
    "staff:no_comments": Row(DRAFT, "L 405 405 405 405 405 405", "L R 404 404 404 403 404"),
    "staff:signed_out": Row(DRAFT, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "staff:documents":                                   Row(SIGNOFF,   "L 200 404 200 200 200 404", "L 200 404 200 200 200 404"),
    "staff:document_pdf":                                Row(SIGNOFF,   "L 200 404 200 200 200 404", "L 200 404 200 200 200 404"),
    "staff:document_retry":                              Row(SIGNOFF,   "L 405 405 405 405 405 405", "L R 404 R R R 404"),
    # A GET of an approval by the Chief Executive goes first to "Confirm it is you" (no second
    # factor in this session); their POST is refused on the page, as are the others'.
    "staff:act":                                         Row(APPROVAL, "L R 404 R R R 404", "L 200 404 200 200 200 404"),
    # --- the versions of the form (governance; tried on a draft version, which may be changed) -----
    # A change goes first to "Confirm it is you" (no second factor in this session), as a role
    # change does; the pages are reached once it is passed (tests/pages/test_form_version_pages).
    "staff:form_versions": Row(PUBLISHED, "L 403 403 403 403 200 403", "L 403 403 403 403 200 403"),
    "staff:form_version": Row(PUBLISHED, "L 403 403 403 403 200 403", "L 403 403 403 403 200 403"),
    "staff:form_new_version": Row(PUBLISHED, "L 405 405 405 405 405 405", "L 403 403 403 403 R 403"),
    "staff:form_date": Row(PUBLISHED, "L 403 403 403 403 R 403", "L 403 403 403 403 R 403"),
    "staff:form_discard": Row(PUBLISHED, "L 403 403 403 403 R 403", "L 403 403 403 403 R 403"),
    "staff:form_text": Row(PUBLISHED, "L 403 403 403 403 R 403", "L 403 403 403 403 R 403"),
    "staff:form_section_add": Row(PUBLISHED, "L 403 403 403 403 R 403", "L 403 403 403 403 R 403"),
    "staff:form_section": Row(PUBLISHED, "L 403 403 403 403 R 403", "L 403 403 403 403 R 403"),
    "staff:form_section_remove": Row(PUBLISHED, "L 403 403 403 403 R 403", "L 403 403 403 403 R 403"),
    "staff:form_item_add": Row(PUBLISHED, "L 403 403 403 403 R 403", "L 403 403 403 403 R 403"),
    "staff:form_item": Row(PUBLISHED, "L 403 403 403 403 R 403", "L 403 403 403 403 R 403"),
    "staff:form_item_remove": Row(PUBLISHED, "L 403 403 403 403 R 403", "L 403 403 403 403 R 403"),
    # --- annex pages (finance/urls.py) -------------------------------------------------------------
    "finance:annexes":                                   Row(SIGNOFF,   "L 200 404 200 200 200 404", "L 403 404 403 403 403 404"),
    "finance:upload":                                    Row(DRAFT,     "L 405 405 405 405 405 405", "L 400 404 404 404 403 404"),
    "finance:confirm":                                   Row(DRAFT,     "L 405 405 405 405 405 405", "L R 404 404 404 403 404"),
    "finance:table":                                     Row(SIGNOFF,   "L 200 404 200 200 200 404", "L 200 404 200 200 200 404"),
    "finance:explain":                                   Row(DRAFT,     "L 405 405 405 405 405 405", "L R 404 404 404 403 404"),
    "finance:table_delete":                              Row(DRAFT,     "L 405 405 405 405 405 405", "L R 404 404 404 403 404"),
    "finance:row_edit":                                  Row(DRAFT,     "L 200 404 404 404 403 404", "L 200 404 404 404 403 404"),
    # --- the admin (governance is staff; everyone else is sent to the admin's sign-in) -------------
    "admin:index":                                       Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:login":                                       Row(PUBLISHED, "200 200 200 200 200 R 200", "200 200 200 200 200 200 200"),
    "admin:logout":                                      Row(PUBLISHED, "R R R R R 405 R", "R R R R R R R"),
    "admin:password_change":                             Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:password_change_done":                        Row(PUBLISHED, "A A A A A 200 A", "A A A A A 405 A"),
    "admin:autocomplete":                                Row(PUBLISHED, "A A A A A 403 A", "A A A A A 405 A"),
    "admin:jsi18n":                                      Row(PUBLISHED, "A A A A A 200 A", "A A A A A 405 A"),
    "admin:view_on_site":                                Row(PUBLISHED, "A A A A A 404 A", "A A A A A 404 A"),
    "admin:auth_group_changelist":                       Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:auth_group_add":                              Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:auth_group_history":                          Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:auth_group_delete":                           Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:auth_group_change":                           Row(PUBLISHED, "A A A A A 200 A", "A A A A A 403 A"),
    "<admin/auth/group/<path:object_id>/>":              Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:auth_user_changelist":                        Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:auth_user_add":                               Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:auth_user_history":                           Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:auth_user_delete":                            Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:auth_user_change":                            Row(PUBLISHED, "A A A A A 200 A", "A A A A A 403 A"),
    "<admin/auth/user/<path:object_id>/>":               Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:auth_user_password_change":                   Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:decisions_decision_changelist":               Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:decisions_decision_add":                      Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:decisions_decision_history":                  Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:decisions_decision_delete":                   Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:decisions_decision_change":                   Row(PUBLISHED, "A A A A A 200 A", "A A A A A 403 A"),
    "<admin/decisions/decision/<path:object_id>/>":      Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:decisions_transitionlog_changelist":          Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:decisions_transitionlog_add":                 Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:decisions_transitionlog_history":             Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:decisions_transitionlog_delete":              Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:decisions_transitionlog_change":              Row(PUBLISHED, "A A A A A 200 A", "A A A A A 403 A"),
    "<admin/decisions/transitionlog/<path:object_id>/>": Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:decisions_signature_changelist":              Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:decisions_signature_add":                     Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:decisions_signature_history":                 Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:decisions_signature_delete":                  Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:decisions_signature_change":                  Row(PUBLISHED, "A A A A A 200 A", "A A A A A 403 A"),
    "<admin/decisions/signature/<path:object_id>/>":     Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:decisions_decisionversion_changelist":        Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:decisions_decisionversion_add":               Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:decisions_decisionversion_history":           Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:decisions_decisionversion_delete":            Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:decisions_decisionversion_change":            Row(PUBLISHED, "A A A A A 200 A", "A A A A A 403 A"),
    "<admin/decisions/decisionversion/<path:object_id>/>": Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:decisions_formtemplate_changelist":           Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:decisions_formtemplate_add":                  Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:decisions_formtemplate_history":              Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:decisions_formtemplate_delete":               Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:decisions_formtemplate_change":               Row(PUBLISHED, "A A A A A 200 A", "A A A A A 403 A"),
    "<admin/decisions/formtemplate/<path:object_id>/>":  Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    # --- open data, the accessibility statement, checking a document --------------------------------
    "public:feed": Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "public:annex_csv": Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "public:table_csv": Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "public:check": Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "public:signing_key": Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "decisions_csv": Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "<api/schema/>": Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "api:api-root": Row(PUBLISHED, "404 404 404 404 404 404 404", "404 404 404 404 404 404 404"),
    "api:decisions": Row(PUBLISHED, "200 200 200 200 200 200 200", "405 405 405 405 405 405 405"),
    "api:decision": Row(PUBLISHED, "200 200 200 200 200 200 200", "405 405 405 405 405 405 405"),
    "api:openapi-json": Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "sitemap": Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "sitemap_section": Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "robots_txt": Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "accessibility": Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "contact": Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "privacy": Row(PUBLISHED, "200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    # --- people, roles and sign-in (accounts/urls.py) -----------------------------------------------
    "accounts:second_factor": Row(PUBLISHED, "L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "accounts:passkey_register_begin": Row(PUBLISHED, "403 405 405 405 405 405 405", "403 200 200 200 200 200 200"),
    "accounts:passkey_register_complete": Row(PUBLISHED, "403 405 405 405 405 405 405", "403 400 400 400 400 400 400"),
    "accounts:passkey_verify_begin": Row(PUBLISHED, "403 405 405 405 405 405 405", "403 200 200 200 200 200 200"),
    "accounts:passkey_verify_complete": Row(PUBLISHED, "403 405 405 405 405 405 405", "403 400 400 400 400 400 400"),
    "accounts:passkey_messages": Row(PUBLISHED, "200 200 200 200 200 200 200", "405 405 405 405 405 405 405"),
    # Sign-in and security: one's own second factors. The passkey tried is someone else's (404).
    "accounts:security": Row(PUBLISHED, "L 200 200 200 200 200 200", "L 405 405 405 405 405 405"),
    "accounts:passkey_rename": Row(PUBLISHED, "L 404 404 404 404 404 404", "L 404 404 404 404 404 404"),
    "accounts:passkey_remove": Row(PUBLISHED, "L 404 404 404 404 404 404", "L 404 404 404 404 404 404"),
    "accounts:backup_codes_new": Row(PUBLISHED, "L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "accounts:backup_codes_show": Row(PUBLISHED, "L R R R R R R", "L 405 405 405 405 405 405"),
    "accounts:people": Row(PUBLISHED, "L 403 403 403 403 403 403", "L 403 403 403 403 403 403"),
    "accounts:person_roles": Row(PUBLISHED, "L 403 403 403 403 403 403", "L 403 403 403 403 403 403"),
    "accounts:sign_in_locks": Row(PUBLISHED, "L 403 403 403 403 200 403", "L 403 403 403 403 200 403"),
    # --- matching a finance team's columns; a table's title --------------------------------------------
    "finance:map_columns": Row(DRAFT, "L R 404 404 404 403 404", "L R 404 404 404 403 404", extra={"token": "no-such-upload"}),
    "finance:table_title": Row(DRAFT, "L 200 404 404 404 403 404", "L 200 404 404 404 403 404"),
    # --- the admin's pages of role changes, sign-in locks and second factors --------------------------
    "admin:accounts_rolechange_changelist": Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:accounts_rolechange_add": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:accounts_rolechange_history": Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:accounts_rolechange_delete": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:accounts_rolechange_change": Row(PUBLISHED, "A A A A A R A", "A A A A A 403 A"),
    "<admin/accounts/rolechange/<path:object_id>/>": Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:accounts_secondfactorchange_changelist": Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "admin:accounts_secondfactorchange_add": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:accounts_secondfactorchange_history": Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:accounts_secondfactorchange_delete": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:accounts_secondfactorchange_change": Row(PUBLISHED, "A A A A A R A", "A A A A A 403 A"),
    "<admin/accounts/secondfactorchange/<path:object_id>/>": Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:axes_accessattempt_changelist": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:axes_accessattempt_add": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:axes_accessattempt_history": Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:axes_accessattempt_delete": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:axes_accessattempt_change": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "<admin/axes/accessattempt/<path:object_id>/>": Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:axes_accessfailurelog_changelist": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:axes_accessfailurelog_add": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:axes_accessfailurelog_history": Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:axes_accessfailurelog_delete": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:axes_accessfailurelog_change": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "<admin/axes/accessfailurelog/<path:object_id>/>": Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:axes_accesslog_changelist": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:axes_accesslog_add": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:axes_accesslog_history": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:axes_accesslog_delete": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:axes_accesslog_change": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "<admin/axes/accesslog/<path:object_id>/>": Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:otp_static_staticdevice_changelist": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:otp_static_staticdevice_add": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:otp_static_staticdevice_history": Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:otp_static_staticdevice_delete": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:otp_static_staticdevice_change": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "<admin/otp_static/staticdevice/<path:object_id>/>": Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:otp_totp_totpdevice_changelist": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:otp_totp_totpdevice_add": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:otp_totp_totpdevice_history": Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:otp_totp_totpdevice_delete": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:otp_totp_totpdevice_change": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "<admin/otp_totp/totpdevice/<path:object_id>/>": Row(PUBLISHED, "A A A A A R A", "A A A A A R A"),
    "admin:otp_totp_totpdevice_config": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:otp_totp_totpdevice_qrcode": Row(PUBLISHED, "A A A A A 403 A", "A A A A A 403 A"),
    "admin:app_list":                                    Row(PUBLISHED, "A A A A A 200 A", "A A A A A 200 A"),
    "<admin/(?P<url>.*)$>":                              Row(PUBLISHED, "A A A A A 404 A", "A A A A A 404 A"),
}
# fmt: on

# How each URL parameter is filled from the request the row is tried on.
SECTION_PAGES = {"staff:edit_section", "staff:edit_section_text", "staff:no_comments"}
PARAMETERS: dict[str, Callable[[Any, str], Any]] = {}


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, URLPattern, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner or "")
        else:
            route = prefix + str(entry.pattern)
            if entry.name:
                key = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                key = f"<{route or 'root'}>" if route else "<root>"
            yield key, entry, route


def all_patterns() -> dict[str, tuple[URLPattern, str]]:
    return {key: (pattern, route) for key, pattern, route in _walk(get_resolver().url_patterns)}


def test_every_address_of_the_url_configuration_is_in_the_table() -> None:
    found = set(all_patterns())
    missing = sorted(found - set(EXPECTED))
    stale = sorted(set(EXPECTED) - found)
    assert missing == [], f"Add a line to EXPECTED for each of these addresses: {missing}"
    assert stale == [], f"These lines of EXPECTED name no address any more: {stale}"


# --- the world the addresses are tried in ----------------------------------------------------------


@dataclass
class World:
    """Two requests in each state, one by `officer` and one by `other`, each with a paragraph, a
    recommendation, Part 2 and a finance annex with one table; the people of each role."""

    people: dict[str, Any]
    requests: dict[tuple[str, Status], Decision]


def _with_annex_and_part_two(decision: Decision, author: Any) -> None:
    workflow.part_two_update(
        decision=decision, user=author, facts_and_advice="Confidential.", exemption_rationale="s31"
    )
    annex = finance_services.annex_create(
        decision=decision, user=author, title="Annex", reporting_period="Q1", unit="£m"
    )
    finance_services.table_import(
        annex=annex, user=author, name="savings.csv", data=seed_bytes("savings.csv"), kind=None
    )


def _request_in(state: Status, author: Any, chief: Any, dmpc: Any) -> Decision:
    decision = make_complete_draft(author)
    _with_annex_and_part_two(decision, author)
    if state == DRAFT:
        return Decision.objects.get(pk=decision.pk)
    decision = submitted(decision, author)
    if state == APPROVAL:
        return decision
    decision = approved_by_chief_executive(decision, chief)
    if state == SIGNOFF:
        return decision
    decision = signed_off(decision, dmpc)
    assert decision.status == state
    return decision


def _ready(decision: Decision) -> None:
    """Every document of the request as if a worker had rendered it (no render in this test)."""
    for document in RenderedDocument.objects.filter(decision=decision):
        document.pdf.save(
            f"matrix-{document.pk}.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False
        )
        document.state = DocumentState.READY
        document.pdf_sha256 = "0" * 64
        document.save()


@pytest.fixture
def world(
    officer: Any,
    other_officer: Any,
    chief_executive: Any,
    dmpc: Any,
    governance: Any,
    outsider: Any,
    settings: Any,
    tmp_path: Any,
) -> World:
    settings.MEDIA_ROOT = tmp_path
    use_plain_static_storage(settings)
    governance.is_staff = True  # as the demo's governance officer: the admin is theirs
    governance.save()
    people = {
        "anonymous": None,
        "officer": officer,
        "other": other_officer,
        "chief": chief_executive,
        "dmpc": dmpc,
        "governance": governance,
        "no role": outsider,
    }
    requests = {}
    for state in (DRAFT, APPROVAL, SIGNOFF, PUBLISHED):
        for owner in ("officer", "other"):
            decision = _request_in(state, people[owner], chief_executive, dmpc)
            _ready(decision)
            requests[(owner, state)] = decision
    # A draft version of the form, which governance may still change (the version in force,
    # which every request uses, may not be).
    workflow.form_template_new_version(
        template=requests[("officer", DRAFT)].template, user=governance
    )
    return World(people=people, requests=requests)


def _first(queryset: Any) -> Any:
    found = queryset.order_by("pk").first()
    assert found is not None, f"nothing to try: {queryset.model.__name__}"
    return found.pk


def _first_or_none(queryset: Any) -> int:
    found = queryset.order_by("pk").first()
    return found.pk if found is not None else 999_999


def _draft_version() -> int:
    return _first(FormTemplate.objects.filter(effective_from__isnull=True))


def _document(decision: Decision, kind: str) -> int:
    return _first(RenderedDocument.objects.filter(decision=decision, kind=kind))


PARAMETERS.update(
    {
        "pk": lambda d, key: d.author_id if key == "accounts:person_roles" else d.pk,
        "annex": lambda d, key: 1,
        "table": lambda d, key: 1,
        "reference": lambda d, key: d.slug,
        "section": lambda d, key: "decisions",
        "number": lambda d, key: 1 if key in SECTION_PAGES else d.reference_number or 0,
        "paragraph_pk": lambda d, key: _first(Paragraph.objects.filter(decision=d)),
        "rec_pk": lambda d, key: _first(Recommendation.objects.filter(decision=d)),
        "document_pk": lambda d, key: _document(d, DocumentKind.PART_TWO),
        "annex_pk": lambda d, key: _first(Annex.objects.filter(decision=d)),
        "table_pk": lambda d, key: _first(AnnexTable.objects.filter(annex__decision=d)),
        "row_pk": lambda d, key: _first(AnnexRow.objects.filter(table__annex__decision=d)),
        "name": lambda d, key: "approve",
        "app_label": lambda d, key: "decisions",
        "content_type_id": lambda d, key: ContentType.objects.get_for_model(Decision).pk,
        "url": lambda d, key: "no/such/page/",
        "id": lambda d, key: d.author_id,
        "object_id": lambda d, key: _admin_object(d, key),
        "form_pk": lambda d, key: _draft_version(),
        "section_pk": lambda d, key: _first(
            TemplateSection.objects.filter(template=_draft_version())
        ),
        "item_pk": lambda d, key: _first(DeclarationItem.objects.filter(template=_draft_version())),
        "field": lambda d, key: "recommendations_intro",
        "passkey_pk": lambda d, key: _someone_elses_passkey(),
    }
)


def _someone_elses_passkey() -> int:
    """A passkey of a person outside the table's roles: nobody tried may see or change it."""
    owner, _ = get_user_model().objects.get_or_create(username="passkey-owner")
    key, _ = WebAuthnCredential.objects.get_or_create(
        user=owner,
        credential_id_sha256="0" * 64,
        defaults={"name": "Theirs", "credential_id": b"theirs", "public_key": b"key"},
    )
    return int(key.pk)


def _admin_object(decision: Decision, key: str) -> int:
    """The object an admin address is tried on: the request, or a record of it."""
    if key == "admin:view_on_site":
        return decision.pk
    model = key.split(":", 1)[-1].rsplit("_", 1)[0] if key.startswith("admin:") else key
    objects: dict[str, Callable[[], int]] = {
        "auth_group": lambda: _first(Group.objects.all()),
        "auth_user": lambda: decision.author_id,
        "decisions_decision": lambda: decision.pk,
        "decisions_transitionlog": lambda: _first(TransitionLog.objects.filter(decision=decision)),
        "decisions_signature": lambda: _first(Signature.objects.filter(decision=decision)),
        "decisions_decisionversion": lambda: _first(
            DecisionVersion.objects.filter(decision=decision)
        ),
        "decisions_formtemplate": lambda: decision.template_id,
        "accounts_rolechange": lambda: _first_or_none(RoleChange.objects.all()),
        "accounts_secondfactorchange": lambda: _first_or_none(SecondFactorChange.objects.all()),
        # Sign-in locks and second factors: the first there is, or one that is not (404).
        "axes_accessattempt": lambda: _first_or_none(AccessAttempt.objects.all()),
        "axes_accessfailurelog": lambda: _first_or_none(AccessFailureLog.objects.all()),
        "axes_accesslog": lambda: _first_or_none(AccessLog.objects.all()),
        "otp_static_staticdevice": lambda: _first_or_none(StaticDevice.objects.all()),
        "otp_totp_totpdevice": lambda: _first_or_none(TOTPDevice.objects.all()),
    }
    for prefix, make in objects.items():
        app, name = prefix.rsplit("_", 1)  # otp_static_staticdevice: app otp_static
        if model == prefix or f"/{app}/{name}/" in key:
            return make()
    raise AssertionError(f"Say in _admin_object which object {key} is tried on")


def _url(key: str, route_pattern: URLPattern, route: str, decision: Decision, row: Row) -> str:
    names = list(route_pattern.pattern.converters) or list(route_pattern.pattern.regex.groupindex)
    values = {}
    for name in names:
        if name in row.extra:
            values[name] = row.extra[name]
        elif name in PARAMETERS:
            values[name] = PARAMETERS[name](decision, key if not key.startswith("<") else route)
        else:
            raise AssertionError(f"{key}: add the URL parameter {name!r} to PARAMETERS")
    path = route
    for name, value in values.items():
        path = _fill(path, name, str(value))
    return "/" + path


def _fill(route: str, name: str, value: str) -> str:
    # A regex group first ((?P<name>…), as the admin's app_list has), then a path converter.
    route = re.sub(rf"\(\?P<{name}>[^)]*\)", value, route).replace("^", "").replace("$", "")
    return re.sub(rf"<(?:\w+:)?{name}>", value, route)


def _answer(response: Any) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        if location.startswith("/sign-in/?next="):
            return "L"
        if location.startswith("/admin/login/?next="):
            return "A"
        return "R"
    if response.status_code in (200, 503) and response.request["PATH_INFO"] == "/healthz":
        return "H"
    return str(response.status_code)


def _client(person: Any) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def _try(client: Client, method: str, url: str) -> str:
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        answer = _answer(response)
        transaction.set_rollback(True)
    return answer


def test_every_address_answers_every_role_as_the_table_says(world: World) -> None:
    patterns = all_patterns()
    wrong: list[str] = []
    for key, row in EXPECTED.items():
        if key not in patterns:
            continue  # the other test names it
        # Fresh sessions for each address: signing out (a POST to logout) ends the session.
        clients = {role: _client(person) for role, person in world.people.items()}
        pattern, route = patterns[key]
        own = _url(key, pattern, route, world.requests[("officer", row.state)], row)
        theirs = _url(key, pattern, route, world.requests[("other", row.state)], row)
        actual: dict[str, list[str]] = {}
        for method, expected in (("GET", row.get.split()), ("POST", row.post.split())):
            answers = [_try(clients[role], method, own) for role in ROLES]
            actual[method] = answers
            # The originating officer on someone else's request answers as another officer.
            on_theirs = _try(clients["officer"], method, theirs)
            if answers != expected or on_theirs != expected[ROLES.index("other")]:
                wrong.append(
                    f"{key} {method} {own}: expected {' '.join(expected)}, got "
                    f"{' '.join(answers)} (officer on another's request: {on_theirs})"
                )
        if any(key in line for line in wrong):
            wrong.append(
                f'    "{key}": Row({row.state.name}, "{" ".join(actual["GET"])}", '
                f'"{" ".join(actual["POST"])}"),'
            )
    assert wrong == [], "\n".join(["Answers that differ from EXPECTED:", *wrong])
