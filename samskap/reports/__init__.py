"""Portfolio and reports."""
