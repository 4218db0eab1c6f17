"""QA review: scorecards, the sampled review queue, disputes, calibration, automatic checks."""
