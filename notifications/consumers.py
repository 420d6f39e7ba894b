"""The live unread count: `ws://…/ws/notifications/` sends `{"type": "unread", "count": N}`
on connect and whenever the count changes (after the change commits), across Daphne
processes through the channel layer. Nothing is read from the client."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from members.realtime import SessionBound

from . import realtime, selectors


class NotificationConsumer(SessionBound, AsyncJsonWebsocketConsumer):
    """Closes when its session ends or consent lapses (`members.realtime`)."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Accepted, then closed: a browser sees the close code only after a handshake.
            await self.accept()
            await self.close(code=4401)
            return
        self.user_id = user.pk
        self.group = realtime.notifications_group(self.user_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.session_join(self.user_id)
        await self.accept()
        count = await database_sync_to_async(selectors.unread_count)(self.user_id)
        await self.send_json({"type": "unread", "count": count})

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.session_leave()

    async def receive_json(self, content, **kwargs):
        pass  # the client has nothing to say; frames are ignored

    async def notifications_unread(self, event):
        await self.send_json(realtime.unread_frame(event))
