"""Prometheus metrics of this process (served at /metrics): sockets, queue, waits, messages, errors, broker."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

CONNECTIONS = Gauge("lykta_connections", "Open sockets on this node", ["kind"], registry=REGISTRY)
QUEUE_LENGTH = Gauge("lykta_queue_length", "Conversations waiting in the queue (cluster-wide)", registry=REGISTRY)
WAIT_SECONDS = Histogram(
    "lykta_wait_seconds",
    "Time from a visitor's arrival to a counselor taking the chat",
    buckets=(5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600),
    registry=REGISTRY,
)
MESSAGES = Counter("lykta_messages_total", "Messages stored by this node", ["author"], registry=REGISTRY)
ERRORS = Counter("lykta_errors_total", "Error answers this node gave", ["code", "via"], registry=REGISTRY)
BROKER_LAG = Histogram(
    "lykta_broker_lag_seconds",
    "Time from publishing an event to this node receiving it",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
    registry=REGISTRY,
)
BROKER_UP = Gauge("lykta_broker_up", "1 while this node's broker subscription is live", registry=REGISTRY)
BACKGROUND_RUNS = Counter(
    "lykta_background_runs_total", "Rounds of cluster-wide background work this node ran", ["job"], registry=REGISTRY
)
LEADER = Gauge("lykta_leader", "1 while this node holds the lease on cluster-wide background work", registry=REGISTRY)
