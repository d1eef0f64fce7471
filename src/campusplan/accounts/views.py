from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.utils.translation import gettext_lazy as _

from campusplan.accounts import sso
from campusplan.accounts.backends import OUTCOME_ATTR


class LoginView(auth_views.LoginView):
    """Django's login; the throttled backend (accounts/backends.py) decides whether the
    password is checked at all, and a refused attempt answers 429."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "sso_oidc": sso.oidc_enabled(), "sso_cas": sso.cas_enabled()}

    def form_invalid(self, form):
        if getattr(self.request, OUTCOME_ATTR, "") == "locked":
            form.errors.clear()
            form.add_error(None, _("登录失败次数过多，请15分钟后再试。"))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_invalid(form)
