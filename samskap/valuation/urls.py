from django.urls import path

from . import views

app_name = "valuation"

MAP = "initiativ/<slug:slug>/verdi/"

urlpatterns = [
    path(MAP, views.value_map, name="map"),
    path(f"{MAP}opprett/", views.value_map_create, name="create"),
    path(f"{MAP}innstillinger/", views.value_map_settings, name="settings"),
    path(f"{MAP}innsats/ny/", views.input_edit, name="input_create"),
    path(f"{MAP}innsats/<int:pk>/", views.input_edit, name="input_edit"),
    path(f"{MAP}utfall/ny/", views.outcome_edit, name="outcome_create"),
    path(f"{MAP}utfall/<int:pk>/", views.outcome_edit, name="outcome_edit"),
    path(f"{MAP}utfall/<int:pk>/kobling/", views.link_edit, name="link_edit"),
    path(f"{MAP}<str:kind>/<int:pk>/slett/", views.row_delete, name="row_delete"),
    path(f"{MAP}resultat/", views.results, name="results"),
    path(f"{MAP}publiser/", views.publish, name="publish"),
    path(f"{MAP}lenker/gjennomgatt/", views.links_reviewed, name="links_reviewed"),
    path(f"{MAP}verdikart.xlsx", views.export_xlsx, name="export_xlsx"),
    path(f"{MAP}rapport.pdf", views.export_pdf, name="export_pdf"),
    path(f"{MAP}importer/", views.import_file, name="import"),
    path("verdi/mal.xlsx", views.template_download, name="template"),
    path("verdi/innsats/", views.contributor_inputs, name="contributor_inputs"),
    path("verdi/proxyer/", views.proxy_list, name="proxies"),
    path("verdi/proxyer/ny/", views.proxy_create, name="proxy_create"),
]
