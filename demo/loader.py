"""Loads the demo: one user per role, PCD 279 as published, and a fresh draft. Idempotent: a
second run changes nothing but the demo users' passwords and second factors, which it sets to the
printed ones.

The Chief Executive, the DMPC, governance and the system administrator must pass a second factor
to approve, sign off or change roles; their demo accounts come with it set up: an authenticator
secret (DEMO_TOTP_SECRET, for an app) and backup codes (DEMO_BACKUP_CODES), printed by load_demo.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services as accounts
from decisions import services
from decisions.models import Decision, Paragraph
from decisions.roles import SECOND_FACTOR_ROLES, Role, roles_of
from decisions.types import User
from demo import pcd279
from finance import seed
from finance import selectors as finance_selectors
from finance import services as finance_services
from finance.models import AnnexRow

DEMO_PASSWORD = "demo-pcd-279"  # noqa: S105 - printed for local demo sign-in only
# The demo's second factor, for local use only: one authenticator key and ten backup codes, the
# same for every demo account that needs one (printed by load_demo; each run restores them).
_DEMO_TOTP_KEY = b"pcd-279-demo-totp-ok"  # 20 bytes, as RFC 6238 suggests
DEMO_TOTP_SECRET = base64.b32encode(_DEMO_TOTP_KEY).decode()
DEMO_BACKUP_CODES = [f"pcd279{n:02d}" for n in range(1, 11)]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role


DEMO_USERS = [
    DemoUser("officer", "Alex", "Morgan", Role.OFFICER),
    DemoUser("chief-executive", "R.", "Lawrence", Role.CHIEF_EXECUTIVE),
    DemoUser("dmpc", "Sophie", "Linden", Role.DMPC),
    DemoUser("governance", "Sam", "Taylor", Role.GOVERNANCE),
    DemoUser("administrator", "Jo", "Patel", Role.SYSTEM_ADMIN),
]


def ensure_users() -> dict[Role, User]:
    User = get_user_model()
    users = {}
    for demo in DEMO_USERS:
        user, _ = User.objects.get_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "email": f"{demo.username}@example.org",
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        if demo.role.value not in roles_of(user):
            # Set-up, not a person's act (actor=None): recorded like any role change.
            accounts.role_grant(actor=None, subject=user, role=demo.role)
        if demo.role.value in SECOND_FACTOR_ROLES:
            ensure_second_factor(user)
        users[demo.role] = user
    return users


def ensure_second_factor(user: User) -> None:
    """The printed authenticator secret and backup codes, confirmed, whatever was there before."""
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(
        user=user, name=accounts.AUTHENTICATOR, key=_DEMO_TOTP_KEY.hex(), confirmed=True
    )
    static, _ = StaticDevice.objects.get_or_create(user=user, name=accounts.BACKUP)
    static.token_set.all().delete()
    for code in DEMO_BACKUP_CODES:
        static.token_set.create(token=code)


def _add_paragraphs(
    decision: Decision, user: User, rows: list[tuple[int, str, str]]
) -> list[Paragraph]:
    sections = {s.number: s for s in decision.template.sections.all()}
    return [
        services.paragraph_add(
            decision=decision, user=user, section=sections[number], heading=heading, text=text
        )
        for number, heading, text in rows
    ]


def _load_annex(decision: Decision, officer: User) -> list[AnnexRow]:
    """The ten published tables, imported like any officer's spreadsheets; returns the lines the
    Scheme of Delegation reserves to the DMPC. The published figures hold one real inconsistency,
    which must be explained before submission, as an officer would have to."""
    annex = finance_services.annex_create(decision=decision, user=officer, **seed.PCD_279_ANNEX)
    for name, data in seed.pcd_279_files():
        finance_services.table_import(annex=annex, user=officer, name=name, data=data)
    for finding in finance_selectors.unexplained_errors(annex):
        finance_services.explanation_record(
            table=annex.tables.get(pk=int(finding.table_key or 0)),
            user=officer,
            row_label=finding.row,
            column=finding.column,
            text=pcd279.ANNEX_EXPLANATION,
        )
    return [item.row for item in finance_selectors.delegation_items(decision)]


@transaction.atomic
def load_pcd_279(users: dict[Role, User]) -> Decision:
    existing: Decision | None = Decision.objects.filter(reference_number=pcd279.REFERENCE).first()
    if existing is not None:
        return existing
    officer = users[Role.OFFICER]
    decision = services.decision_create(user=officer, title=pcd279.TITLE)
    decision = services.decision_update_summary(
        decision=decision,
        user=officer,
        title=pcd279.TITLE,
        executive_summary=pcd279.EXECUTIVE_SUMMARY,
    )
    paragraphs = _add_paragraphs(decision, officer, pcd279.PARAGRAPHS)
    approvals = _load_annex(decision, officer)
    for index, (text, links) in enumerate(pcd279.RECOMMENDATIONS):
        services.recommendation_add(
            decision=decision,
            user=officer,
            text=text,
            paragraphs=[paragraphs[i] for i in links],
            approves=[row.pk for row in approvals]
            if index == pcd279.APPROVING_RECOMMENDATION
            else [],
        )
    services.decision_update_public_access(
        decision=decision,
        user=officer,
        publication_deferred=False,
        deferral_reason="",
        deferred_until=None,
        has_part_two=False,
    )
    services.declaration_update(
        decision=decision,
        user=officer,
        item_ids=decision.template.declaration_items.values_list("pk", flat=True),
    )
    services.decision_submit(
        decision=decision, user=officer, at=pcd279.SUBMITTED_AT, reference_number=pcd279.REFERENCE
    )
    # The Chief Executive and the DMPC pass their second factor, as on the pages (a backup code,
    # given back by ensure_second_factor when load_demo ends).
    for role in (Role.CHIEF_EXECUTIVE, Role.DMPC):
        accounts.second_factor_verify(user=users[role], token=DEMO_BACKUP_CODES[0])
    services.decision_approve(
        decision=decision,
        user=users[Role.CHIEF_EXECUTIVE],
        confirmed=True,
        at=pcd279.OFFICER_APPROVED_AT,
    )
    services.decision_sign_off(
        decision=decision,
        user=users[Role.DMPC],
        confirmed=True,
        interests=pcd279.DMPC_INTERESTS,
        at=pcd279.SIGNED_OFF_AT,
    )
    decision.refresh_from_db()
    return decision


@transaction.atomic
def load_draft(users: dict[Role, User]) -> Decision:
    officer = users[Role.OFFICER]
    existing: Decision | None = Decision.objects.filter(
        title=pcd279.DRAFT_TITLE, author=officer
    ).first()
    if existing is not None:
        return existing
    decision = services.decision_create(user=officer, title=pcd279.DRAFT_TITLE)
    services.decision_update_summary(
        decision=decision,
        user=officer,
        title=pcd279.DRAFT_TITLE,
        executive_summary=pcd279.DRAFT_SUMMARY,
    )
    _add_paragraphs(decision, officer, pcd279.DRAFT_PARAGRAPHS)
    return decision


def load_demo() -> tuple[dict[Role, User], Decision, Decision]:
    users = ensure_users()
    published, draft = load_pcd_279(users), load_draft(users)
    for user in users.values():
        if roles_of(user) & SECOND_FACTOR_ROLES:
            ensure_second_factor(user)  # the backup code PCD 279's signatures used, given back
    return users, published, draft
