"""Recordings store, Vosk transcription and QA reviews: not built yet (calls are recorded)."""
