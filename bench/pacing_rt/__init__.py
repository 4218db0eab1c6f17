"""The pacing benchmark's second engine: the production runtime on the simulated network."""
