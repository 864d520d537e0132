"""The editorial desk: roles, breaking alerts, sources and stats, worked from Telegram."""
