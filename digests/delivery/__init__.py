"""Delivery: the outbox and the sender that drains it into Telegram."""
