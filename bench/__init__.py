"""Benchmarks of Rapport at studio sizes far beyond the sample data."""
