from django.urls import path

from accounts import passkeys, views

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
    path("staff/people/", views.people, name="people"),
    path("staff/people/<int:pk>/roles/", views.person_roles, name="person_roles"),
    path("staff/sign-in-locks/", views.sign_in_locks, name="sign_in_locks"),
]
