"""The protocol router: imported only after Django is set up (see asgi.py)."""

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application

from hubs.realtime.routing import websocket_urlpatterns as hub_patterns
from members.middleware import WebsocketConsentMiddleware
from network.websocket import ChannelLayerLossCloser, SameOriginValidator
from notifications.routing import websocket_urlpatterns as notification_patterns

websocket_urlpatterns = hub_patterns + notification_patterns

application = ProtocolTypeRouter(
    {
        "http": get_asgi_application(),
        "websocket": SameOriginValidator(
            ChannelLayerLossCloser(
                AuthMiddlewareStack(WebsocketConsentMiddleware(URLRouter(websocket_urlpatterns)))
            )
        ),
    }
)
