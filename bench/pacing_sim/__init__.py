"""The pacing benchmark's simulated shift (call model, pre-drawn attempts, profiles)."""
