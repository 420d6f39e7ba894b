from django.urls import path  # noqa: F401

# The thread websocket (/ws/threads/<id>/) is added by the threads feature.
websocket_urlpatterns = []
