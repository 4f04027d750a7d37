from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("api-nokler/", views.api_tokens, name="api_tokens"),
    path("api-nokler/<int:pk>/slett/", views.api_token_revoke, name="api_token_revoke"),
]
