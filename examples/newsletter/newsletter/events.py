"""What happened to a campaign, for the dashboard."""

RECORDED = []


async def record(event):
    RECORDED.append(event)


async def notify_admins(event):
    RECORDED.append(f"admins: {event}")
