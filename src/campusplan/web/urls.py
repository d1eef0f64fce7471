from django.urls import path

from campusplan.web import views, views_dashboards, views_import, views_plans, views_school

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("catalog/", views.catalog, name="catalog"),
    path("catalog/item/<int:number>/", views.item_detail, name="item"),
    path("catalog/params/", views.parameters, name="params"),
    path("city/", views_dashboards.city, name="city"),
    path("city/workbook.xlsx", views_dashboards.city_workbook, name="city_workbook"),
    path("district/<str:code>/", views_dashboards.district, name="district"),
    path("district/<str:code>/workbook.xlsx", views_dashboards.district_workbook,
         name="district_workbook"),
    path("school/<str:code>/", views_school.school_page, name="school"),
    path("school/<str:code>/facts/<str:key>/", views_school.fact_edit, name="fact"),
    path("school/<str:code>/audit/", views_school.school_audit, name="school_audit"),
    path("school/<str:code>/report.docx", views_school.school_report, name="school_report"),
    path("plan/", views_plans.city_plan, name="city_plan"),
    path("plan/plan.<str:fmt>", views_plans.plan_download, {"kind": "city"}, name="city_plan_file"),
    path("district/<str:code>/plan/", views_plans.district_plan, name="district_plan"),
    path("district/<str:code>/plan.<str:fmt>", views_plans.plan_download, {"kind": "district"},
         name="district_plan_file"),
    path("school/<str:code>/plan/", views_plans.school_plan, name="school_plan"),
    path("school/<str:code>/plan.<str:fmt>", views_plans.plan_download, {"kind": "school"},
         name="school_plan_file"),
    path("prices/", views_plans.city_prices, name="city_prices"),
    path("district/<str:code>/prices/", views_plans.district_prices, name="district_prices"),
    path("district/<str:code>/prices.xlsx", views_plans.price_download, name="price_file"),
    path("district/<str:code>/prices/import/", views_plans.price_upload, name="price_import"),
    path("district/<str:code>/prices/<str:key>/", views_plans.price_edit, name="price_edit"),
    path("district/<str:code>/projects/", views_plans.district_projects, name="projects"),
    path("projects/new/", views_plans.project_new, name="project_new"),
    path("projects/<int:pk>/", views_plans.project_page, name="project"),
    path("projects/<int:pk>/edit/", views_plans.project_edit, name="project_edit"),
    path("import/", views_import.import_page, name="import"),
    path("import/<str:token>/confirm/", views_import.import_confirm, name="import_confirm"),
]
