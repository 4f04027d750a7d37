"""Pages of effect measurement."""
