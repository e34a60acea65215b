"""End-to-end tests: the simulator and a real Home Assistant, each its own process."""
