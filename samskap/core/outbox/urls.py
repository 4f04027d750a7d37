from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("", views.message_list, name="messages"),
    path("<int:pk>/send-igjen/", views.message_resend, name="resend"),
]
