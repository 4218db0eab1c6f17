"""Read-only reports: the campaign compliance report (seat reports and the funnel come next)."""
