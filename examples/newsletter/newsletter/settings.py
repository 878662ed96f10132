"""The newsletter's settings."""

BATCH_SIZE = 100
SENDER = "news@example.com"
