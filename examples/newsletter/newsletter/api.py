"""The subscriber service's client (answers from memory: the demo needs no network)."""

SUBSCRIBERS = {"weekly": ["ann@example.com", "bob@example.com"]}


class SubscriberApi:
    def __init__(self, base):
        self.base = base

    @property
    def healthy(self):
        return True

    def fetch(self, list_id):
        return list(SUBSCRIBERS.get(list_id, []))
