from django.urls import path

from campusplan.web import views, views_campaigns, views_dashboards, views_import, views_school

vc = views_campaigns

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
    path("import/<str:token>/confirm/", views_import.import_confirm, name="import_confirm"),
    path("campaigns/", vc.campaign_list, name="campaigns"),
    path("campaigns/diff/", vc.campaign_diff, name="campaign_diff"),
    path("campaigns/<int:pk>/", vc.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/school/<str:code>/", vc.campaign_school, name="campaign_school"),
    path("campaigns/<int:pk>/school/<str:code>/form/", vc.campaign_form, name="campaign_form"),
    path("campaigns/<int:pk>/school/<str:code>/facts/<str:key>/", vc.campaign_fact,
         name="campaign_fact"),
    path("campaigns/<int:pk>/school/<str:code>/survey.xlsx", vc.campaign_survey,
         name="campaign_survey"),
    path("campaigns/<int:pk>/school/<str:code>/upload/", vc.campaign_upload,
         name="campaign_upload"),
    path("campaigns/<int:pk>/school/<str:code>/submit/", vc.campaign_submit,
         name="campaign_submit"),
    path("campaigns/<int:pk>/school/<str:code>/unlock/", vc.campaign_unlock,
         name="campaign_unlock"),
    path("campaigns/<int:pk>/district/<str:code>/", vc.campaign_review, name="campaign_review"),
    path("campaigns/<int:pk>/district/<str:code>/confirm/", vc.campaign_confirm,
         name="campaign_confirm"),
]
