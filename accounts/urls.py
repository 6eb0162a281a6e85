from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/second-factor/", views.second_factor, name="second_factor"),
    path("staff/people/", views.people, name="people"),
    path("staff/people/<int:pk>/roles/", views.person_roles, name="person_roles"),
    path("staff/sign-in-locks/", views.sign_in_locks, name="sign_in_locks"),
]
