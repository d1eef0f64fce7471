from django.contrib.auth import views as auth_views
from django.urls import path

from campusplan.accounts import second_factor, token_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", second_factor.verify, name="second-factor"),
    path("second-factor/enrol/", second_factor.enrol, name="second-factor-enrol"),
    path("tokens/", token_views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", token_views.revoke, name="token-revoke"),
]
