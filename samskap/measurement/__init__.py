"""Effect measurement."""
