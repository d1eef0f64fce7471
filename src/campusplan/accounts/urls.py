from django.contrib.auth import views as auth_views
from django.urls import path

from campusplan.accounts import admin_views, second_factor, token_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", second_factor.verify, name="second-factor"),
    path("second-factor/enrol/", second_factor.enrol, name="second-factor-enrol"),
    path("audit/", admin_views.audit_trail, name="audit"),
    path("security/", admin_views.security_policy, name="security"),
    path("security/locks/<int:lock_id>/unlock/", admin_views.unlock, name="unlock"),
    path("security/users/<int:user_id>/second-factor/reset/", admin_views.reset_second_factor,
         name="reset-second-factor"),
    path("tokens/", token_views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", token_views.revoke, name="token-revoke"),
]
