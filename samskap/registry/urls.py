from django.urls import path

from .views import initiatives, showcase, work

app_name = "registry"

urlpatterns = [
    path("", showcase.showcase, name="showcase"),
    path("organisasjoner/", showcase.organisation_list, name="organisations"),
    path("laering/", showcase.lessons, name="lessons"),
    path("organisasjoner/<slug:slug>/", showcase.organisation_detail, name="organisation"),
    path("ide/", work.idea_submit, name="idea_submit"),
    path("ide/takk/", work.idea_thanks, name="idea_thanks"),
    path("mine/", work.dashboard, name="dashboard"),
    path("portefolje/", work.portfolio, name="portfolio"),
    path("ideer/", work.idea_queue, name="idea_queue"),
    path("ideer/<int:pk>/", work.idea_moderate, name="idea_moderate"),
    path("initiativ/ny/", initiatives.initiative_create, name="initiative_create"),
    path("initiativ/<slug:slug>/", initiatives.initiative_detail, name="initiative"),
    path("initiativ/<slug:slug>/rediger/", initiatives.initiative_edit, name="initiative_edit"),
    path("initiativ/<slug:slug>/fase/", initiatives.initiative_move, name="initiative_move"),
    path("initiativ/<slug:slug>/historie/", initiatives.story_create, name="story_create"),
    path(
        "initiativ/<slug:slug>/partnere/ny/",
        initiatives.participation_create,
        name="participation_create",
    ),
    path(
        "initiativ/<slug:slug>/partnere/<int:pk>/avslutt/",
        initiatives.participation_end,
        name="participation_end",
    ),
]
