"""Operators' endpoints: liveness, readiness, metrics."""
