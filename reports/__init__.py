"""Read-only reports: seats (坐席报表), the renewal funnel, tenure cohorts, leads at risk and the
campaign compliance report. Every figure is computed in SQL over the stored rows."""
