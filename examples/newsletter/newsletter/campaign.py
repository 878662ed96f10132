"""Sending a campaign."""

from newsletter import events, mailer
from newsletter.api import SubscriberApi


def audience(list_id):
    api = SubscriberApi("https://subscribers.example.com")
    if not api.healthy:
        return []
    return api.fetch(list_id)


async def launch(list_id):
    batches = mailer.send_batch(audience(list_id))
    events.record("launched")  # BUG: never awaited, so nothing is recorded
    return batches


async def close(list_id):
    await events.notify_admins(f"closed {list_id}")
