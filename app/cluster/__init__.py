"""Work that runs once across the cluster: the lease that picks the node doing it."""
