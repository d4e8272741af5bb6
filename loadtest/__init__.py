"""Simulated learners for load runs: `make load`, and a short version in the test suite."""
