"""Partnership health check."""
