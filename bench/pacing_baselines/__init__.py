"""Baseline pacers for the benchmark only, built from the public descriptions in pacing.md."""

from bench.pacing_baselines.issabel import IssabelPacer
from bench.pacing_baselines.oracle import OraclePacer
from bench.pacing_baselines.vicidial import VicidialAdaptTapered

__all__ = ["IssabelPacer", "OraclePacer", "VicidialAdaptTapered"]
