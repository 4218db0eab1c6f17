"""The agents', supervisors' and QA staff's web consoles (FastAPI): not built yet."""
