"""Digest editions: when they are due, what goes in them, how they look, and building them."""
