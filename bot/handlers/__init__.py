"""Thin handlers: parse the update, call one service in a session, render, reply."""
