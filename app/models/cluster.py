"""Cluster coordination: which node holds a lease on work that must run once across all nodes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime


class ClusterLease(SQLModel, table=True):
    __tablename__ = "cluster_lease"

    name: str = Field(primary_key=True, max_length=32)
    holder: str = Field(max_length=96, description="node id: host name, process id and a random part")
    expires_at: datetime = Field(sa_type=UTCDateTime)
