from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.utils.translation import gettext_lazy as _

from campusplan.accounts import throttle


class LoginView(auth_views.LoginView):
    """Django's login, refusing a user name + address pair after repeated failures."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        address = request.META.get("REMOTE_ADDR", "")
        if throttle.locked(username, address):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, _("登录失败次数过多，请15分钟后再试。"))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            throttle.succeeded(username, address)
        else:
            throttle.failed(username, address)
        return response
