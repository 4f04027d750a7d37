from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("initiativ/<slug:slug>/avtaler/", views.agreement_list, name="list"),
    path("initiativ/<slug:slug>/avtaler/ny/", views.agreement_create, name="create"),
    path("avtaler/<int:pk>/", views.agreement_detail, name="detail"),
    path("avtaler/<int:pk>/rediger/<slug:section>/", views.agreement_edit, name="edit"),
    path("avtaler/<int:pk>/send/", views.agreement_send, name="send"),
    path("avtaler/<int:pk>/signer/", views.agreement_sign, name="sign"),
    path("avtaler/<int:pk>/avslutt/", views.agreement_end, name="end"),
    path("avtaler/<int:pk>/endringer/", views.agreement_diff, name="diff"),
    path("avtaler/<int:pk>/versjoner/<int:number>/pdf/", views.agreement_pdf, name="pdf"),
    path("avtaler/kommune/", views.settings_home, name="settings_home"),
    path("avtaler/kommune/<slug:municipality>/", views.settings_page, name="settings"),
    path(
        "avtaler/kommune/<slug:municipality>/maler/<int:pk>/",
        views.template_edit,
        name="template_edit",
    ),
]
