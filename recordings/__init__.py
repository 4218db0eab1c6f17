"""Recordings store, Vosk transcription and QA reviews: not built yet (the dialer already writes recordings)."""
