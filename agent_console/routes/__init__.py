"""One router per console area, each with its prefix and tags."""
