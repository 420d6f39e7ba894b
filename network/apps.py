from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"

    def ready(self):
        # allauth keeps its rate limits in `django.core.cache.cache` (the process-local
        # `default` here): they must hold across processes, so in the shared cache.
        from allauth.core.internal import ratelimit

        from core.cache import shared_cache

        ratelimit.cache = shared_cache
