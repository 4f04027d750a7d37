from django.urls import path

from . import views

app_name = "health"

urlpatterns = [
    path("initiativ/<slug:slug>/helsesjekk/", views.rounds, name="rounds"),
    path("initiativ/<slug:slug>/helsesjekk/ny/", views.round_start, name="round_start"),
    path("initiativ/<slug:slug>/helsesjekk/<int:number>/", views.round_detail, name="round"),
    path(
        "initiativ/<slug:slug>/helsesjekk/<int:number>/lukk/",
        views.round_close,
        name="round_close",
    ),
    path(
        "initiativ/<slug:slug>/helsesjekk/<int:number>/paminnelser/",
        views.round_remind,
        name="round_remind",
    ),
    path(
        "initiativ/<slug:slug>/helsesjekk/<int:number>/ny-lenke/<int:pk>/",
        views.round_new_link,
        name="round_new_link",
    ),
    path(
        "initiativ/<slug:slug>/helsesjekk/<int:number>/send-igjen/<int:pk>/",
        views.round_resend,
        name="round_resend",
    ),
    path("helsesjekk/svar/<str:token>/", views.respond, name="respond"),
    path("helsesjekk/egne-utsagn/", views.own_items, name="own_items"),
]
