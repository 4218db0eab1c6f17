"""Recordings: the store (paths, checksums, retention), Vosk transcription, QA review.

- ``store``, ``compress``, ``registration``, ``upkeep``, ``access``: finished calls' WAVs become
  one Ogg Opus file per speaker under the store's root, checksummed, verified, purged after
  retention unless on a QA hold, and every playback by a user is logged.
- ``speech`` (the port), ``vosk_model`` (its adapter), ``transcriber``, ``jobs``, ``worker``:
  each side transcribed on its own from a durable job queue in the database.
- ``search``: calls by agent, date, campaign, outcome, duration and words (Chinese too).
- ``qa``: scorecards, the sampled review queue, disputes, calibration, automatic checks.
"""
