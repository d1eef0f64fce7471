from django.urls import path
from django.views.generic import RedirectView

from campusplan.web import views

app_name = "web"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="web:catalog"), name="home"),
    path("catalog/", views.catalog, name="catalog"),
    path("catalog/item/<int:number>/", views.item_detail, name="item"),
    path("catalog/params/", views.parameters, name="params"),
]
