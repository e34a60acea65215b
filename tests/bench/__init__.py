"""Benchmarks and the soak run: figures printed as `name: value unit` lines (scripts/bench, scripts/soak)."""
