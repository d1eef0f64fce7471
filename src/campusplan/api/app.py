"""The one NinjaAPI (version 1): routers, authentication, rate limit, error handlers, and the
OpenAPI document with Swagger UI served from our own static files (no CDN)."""

from __future__ import annotations

from ninja import NinjaAPI, Router, Schema
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from campusplan.accounts import scope
from campusplan.api import (
    assessments,
    campaigns,
    catalog,
    deviations,
    districts,
    errors,
    exports,
    imports,
    parameters,
    plans,
    prices,
    projects,
    schools,
    users,
)
from campusplan.api.auth import ClientRate, SessionAuth, TokenAuth, user_of
from campusplan.api.schemas import responses

DESCRIPTION = """中小学校信息化建设规划与达标评估系统的 REST 接口 / the campusplan REST API.

认证 / auth: `Authorization: Bearer <token>`（在 /accounts/tokens/ 或 `campusplan token create`
创建）, or the browser's login session (writes need `X-CSRFToken`). 范围与网页一致 / the same
scopes as the web app. 错误 / errors: `{"code", "message": {"zh", "en"}, "details"}`.
列表 / lists: `?limit=&offset=` → `{"count", "limit", "offset", "items"}`. See docs/api.md.
"""



class Utf8JSON(JSONRenderer):
    """Chinese stays readable in the JSON (UTF-8, not \\u escapes); ninja adds the charset."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="campusplan API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    throttle=[ClientRate()],
    renderer=Utf8JSON(),
    docs=Swagger(settings={"persistAuthorization": False, "displayRequestDuration": True,
                            "validatorUrl": None}),  # no call to an outside validator
)
errors.install(api)

me_router = Router(tags=["me 当前用户"])


class MeOut(Schema):
    username: str
    level: str | None
    district: str | None
    school: str | None
    read_only: bool
    token: str | None


@me_router.get("/me", response=responses(MeOut), summary="当前用户与范围 / who am I")
def me(request):
    user = user_of(request)
    p = scope.profile_of(user)
    token = getattr(request, "api_token", None)
    return {"username": user.get_username(), "level": p.level if p else None,
            "district": p.district.code if p and p.district_id else None,
            "school": p.school.code if p and p.school_id else None,
            "read_only": bool(p and p.read_only), "token": token.name if token else None}


for router in (me_router, catalog.router, districts.router, schools.router,
               assessments.router, plans.router, prices.router, projects.router,
               imports.router, exports.router, users.router,
               campaigns.router, parameters.router, deviations.router):
    api.add_router("", router)
