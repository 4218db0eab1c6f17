"""The IVR (voice menus as data, run over Asterisk ARI or the simulated network): not built yet."""
