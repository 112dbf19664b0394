"""Batch scoring of many municipalities: jobs, workers, peer benchmarks, summaries."""
