from django.urls import path

from accounts import passkeys, security, views

app_name = "accounts"

urlpatterns = [
    path("account/second-factor/", views.second_factor, name="second_factor"),
    # Passkeys: the JSON endpoints the scripts of django-otp-webauthn call, and their messages.
    path(
        "account/passkeys/register/begin/",
        passkeys.RegisterBegin.as_view(),
        name="passkey_register_begin",
    ),
    path(
        "account/passkeys/register/complete/",
        passkeys.RegisterComplete.as_view(),
        name="passkey_register_complete",
    ),
    path(
        "account/passkeys/verify/begin/",
        passkeys.VerifyBegin.as_view(),
        name="passkey_verify_begin",
    ),
    path(
        "account/passkeys/verify/complete/",
        passkeys.VerifyComplete.as_view(),
        name="passkey_verify_complete",
    ),
    path("account/passkeys/messages.js", passkeys.i18n, name="passkey_messages"),
    # Sign-in and security: one's own passkeys, authenticator app and backup codes.
    path("account/security/", security.security, name="security"),
    path(
        "account/security/passkeys/<int:passkey_pk>/rename/",
        security.passkey_rename,
        name="passkey_rename",
    ),
    path(
        "account/security/passkeys/<int:passkey_pk>/remove/",
        security.passkey_remove,
        name="passkey_remove",
    ),
    path("account/security/backup-codes/new/", security.backup_codes_new, name="backup_codes_new"),
    path("account/security/backup-codes/", security.backup_codes_show, name="backup_codes_show"),
    path("staff/people/", views.people, name="people"),
    path("staff/people/<int:pk>/roles/", views.person_roles, name="person_roles"),
    path("staff/sign-in-locks/", views.sign_in_locks, name="sign_in_locks"),
]
