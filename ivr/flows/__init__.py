"""The shipped flows (TOML data, read by :mod:`ivr.flow`): inbound callback, reminder call,
opt-out confirmation."""
