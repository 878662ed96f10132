"""Where ``charge`` is defined."""


def charge(card, amount_cents):
    return f"charged {amount_cents} to {card}"


RATE = 3
