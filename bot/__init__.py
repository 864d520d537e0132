"""newsbot's Telegram face: application wiring, handlers, keyboards and jobs."""
