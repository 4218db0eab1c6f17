"""The prompts' texts per language (``<language>.toml``); the audio lives in the prompt
directory (see :mod:`ivr.prompt_check`)."""
