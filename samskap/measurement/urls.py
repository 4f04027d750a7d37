"""Measurement pages under the initiative (Norwegian URLs) and the participant's link."""

from django.urls import path

from .views import indicators, invitations, library, pages, programmes, respond, surveys

app_name = "measurement"

base = "initiativ/<slug:slug>/maling/"
place = "maling/kommune/<slug:municipality>/"

urlpatterns = [
    path(base, pages.overview, name="overview"),
    path(base + "kjede/ny/", pages.chain_add, name="chain_add"),
    path(
        base + "kjede/<int:pk>/<str:action>/",
        pages.chain_change,
        name="chain_change",
    ),
    path(base + "indikatorer/ta-i-bruk/", pages.adopt, name="adopt"),
    path(base + "indikatorer/<int:pk>/", pages.indicator_detail, name="indicator"),
    path(base + "indikatorer/<int:pk>/rediger/", indicators.indicator_edit, name="indicator_edit"),
    path(
        base + "indikatorer/<int:pk>/perioder/<int:period>/",
        indicators.period_edit,
        name="period_edit",
    ),
    path(base + "verdier/<int:pk>/<str:action>/", pages.value_action, name="value_action"),
    path(base + "verdier/import/", pages.values_import, name="values_import"),
    path(base + "import/mal-<str:what>.<str:fmt>", pages.import_template, name="import_template"),
    path(base + "undersokelser/ny/", surveys.survey_create, name="survey_create"),
    path(base + "undersokelser/<int:pk>/", surveys.survey_detail, name="survey"),
    path(base + "undersokelser/<int:pk>/koder/", surveys.code_list, name="code_list"),
    path(
        base + "undersokelser/<int:pk>/lenker/<int:point>/",
        surveys.links_issue,
        name="links_issue",
    ),
    path(
        base + "undersokelser/<int:pk>/invitasjoner/<int:point>/",
        invitations.invitations_send,
        name="invitations",
    ),
    path(
        base + "undersokelser/<int:pk>/invitasjoner/<int:point>/<int:message>/send-igjen/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        base + "undersokelser/<int:pk>/invitasjoner/<int:point>/<int:message>/fjern-adresse/",
        invitations.invitation_forget,
        name="invitation_forget",
    ),
    path(
        base + "undersokelser/<int:pk>/papir/<int:point>/",
        surveys.paper_entry,
        name="paper_entry",
    ),
    path(base + "undersokelser/<int:pk>/import/", surveys.answers_import, name="answers_import"),
    path(base + "undersokelser/<int:pk>/resultater/", surveys.survey_results, name="results"),
    path(
        base + "undersokelser/<int:pk>/eksport.<str:fmt>",
        surveys.survey_export,
        name="export",
    ),
    path("maling/programmer/", programmes.home, name="programmes_home"),
    path(f"{place}programmer/", programmes.programme_list, name="programmes"),
    path(f"{place}programmer/ny/", programmes.programme_edit, name="programme_create"),
    path(f"{place}programmer/<slug:programme>/", programmes.programme_detail, name="programme"),
    path(
        f"{place}programmer/<slug:programme>/rediger/",
        programmes.programme_edit,
        name="programme_edit",
    ),
    path("maling/bibliotek/", library.home, name="library_home"),
    path(f"{place}bibliotek/", library.library_list, name="library"),
    path(f"{place}bibliotek/ny/", library.library_edit, name="library_create"),
    path(f"{place}bibliotek/<int:pk>/", library.library_detail, name="library_entry"),
    path(f"{place}bibliotek/<int:pk>/rediger/", library.library_edit, name="library_edit"),
    path(
        f"{place}bibliotek/<int:pk>/sammenstilling/",
        library.library_synthesis,
        name="library_synthesis",
    ),
    path("svar/<str:token>/", respond.respond, name="respond"),
    path("svar/<str:token>/trekk/", respond.withdraw, name="withdraw"),
]
