"""Splits the audience into batches the mail server accepts."""

from newsletter import settings


def send_batch(addresses, size=settings.BATCH_SIZE):
    return [addresses[start : start + size] for start in range(0, len(addresses), size)]


def sender():
    return settings.SENDER
