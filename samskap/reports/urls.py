from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("rapporter/", views.hub, name="hub"),
    path("rapporter/eksport/<str:what>.<str:fmt>", views.export, name="export"),
    path("rapporter/import/<str:what>/", views.import_view, name="import"),
    path(
        "rapporter/import/mal-<str:what>.<str:fmt>",
        views.import_template,
        name="import_template",
    ),
    path("rapporter/portefolje.pdf", views.portfolio_report, name="portfolio_report"),
    path("rapporter/bygg/", views.portfolio_report_build, name="build_portfolio_report"),
    path("rapporter/bygg/<int:pk>/", views.report_build, name="build"),
    path("rapporter/bygg/<int:pk>/rapport.pdf", views.report_build_pdf, name="build_pdf"),
    path("initiativ/<slug:slug>/rapport.pdf", views.initiative_report, name="initiative_report"),
    path("apne-data/initiativ.<str:fmt>", views.open_data, name="open_data"),
]
