from django.urls import path

from campusplan.web import (
    views,
    views_dashboards,
    views_import,
    views_inventory,
    views_lists,
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
    path("district/<str:code>/bulk/", views_inventory.schools_bulk, name="district_bulk"),
    path("school/<str:code>/rooms/bulk/", views_inventory.rooms_bulk, name="rooms_bulk"),
    path("audit/", views_inventory.audit_page, name="audit"),

    path("lists/schools/", views_lists.list_page, {"kind": "schools"}, name="school_list"),
    path("lists/schools.xlsx", views_lists.list_export, {"kind": "schools", "fmt": "xlsx"},
         name="school_list_xlsx"),
    path("lists/schools.csv", views_lists.list_export, {"kind": "schools", "fmt": "csv"},
         name="school_list_csv"),
    path("lists/schools/views/", views_lists.view_save, {"kind": "schools"},
         name="school_view_save"),
    path("lists/results/", views_lists.list_page, {"kind": "results"}, name="result_list"),
    path("lists/results.xlsx", views_lists.list_export, {"kind": "results", "fmt": "xlsx"},
         name="result_list_xlsx"),
    path("lists/results.csv", views_lists.list_export, {"kind": "results", "fmt": "csv"},
         name="result_list_csv"),
    path("lists/results/views/", views_lists.view_save, {"kind": "results"},
         name="result_view_save"),
    path("lists/views/<int:view_id>/delete/", views_lists.view_delete, name="view_delete"),
    path("search/", views_lists.search, name="search"),
    path("import/", views_import.import_page, name="import"),
    path("import/<str:token>/confirm/", views_import.import_confirm, name="import_confirm"),
    path("import/<str:token>/discard/", views_import.import_discard, name="import_discard"),
]
