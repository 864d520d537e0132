"""Readers: chats, their settings and preferences, subscriptions, deep links."""
