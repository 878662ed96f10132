"""A newsletter: subscribers from an API, mail in batches, events recorded on the side."""
