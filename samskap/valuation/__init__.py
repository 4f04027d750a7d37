"""Societal value."""
