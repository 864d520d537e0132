"""Text for Telegram: the template renderer and Telegram HTML helpers."""
