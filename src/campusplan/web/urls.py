from django.urls import path

from campusplan.web import (
    views,
    views_accounts,
    views_dashboards,
    views_import,
    views_jobs,
    views_school,
)

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
    path("import/", views_import.import_page, name="import"),
    path("users/", views_accounts.users, name="users"),
    path("users/school-accounts/", views_accounts.school_accounts, name="school_accounts"),
    path("users/<str:username>/reset/", views_accounts.user_reset, name="user_reset"),
    path("users/<str:username>/active/", views_accounts.user_active, name="user_active"),
    path("password/", views_accounts.password, name="password"),
    path("notifications/", views_accounts.notification_list, name="notifications"),
    path("notifications/bell/", views_accounts.bell, name="bell"),
    path("jobs/<int:job_id>/", views_jobs.job_page, name="job"),
    path("jobs/<int:job_id>/file/", views_jobs.job_file, name="job_file"),
    path("jobs/city-workbook/", views_jobs.city_workbook_job, name="city_workbook_job"),
    path("jobs/reassess/<str:code>/", views_jobs.district_reassess_job, name="reassess_job"),
    path("import/<str:token>/confirm/", views_import.import_confirm, name="import_confirm"),
    path("import/<str:token>/changes/", views_import.import_changes, name="import_changes"),
]
