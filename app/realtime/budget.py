"""What each frame type may cost a socket: a token bucket per type, made on first use, and strikes for going over.

A socket over a budget is told (an `error rate_limited` frame); one that keeps going over is closed 1008 by its
caller. A flood costs the flooder: its frames are dropped before they reach the database or the other party.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.config import Settings

STRIKE_WINDOW_S = 10.0  # strikes older than this are forgiven
TYPING_REFRESH_S = 5.0  # "still typing" is passed on again after this, so the other side's indicator stays


def typing_changes(last: tuple[bool, float], on: bool, now: float) -> bool:
    """Typing reaches the other side only when it changes (or, while on, again after TYPING_REFRESH_S)."""
    was_on, at = last
    return on != was_on or (on and now - at > TYPING_REFRESH_S)


@dataclass(frozen=True, slots=True)
class Rate:
    per_second: float
    burst: float


def _rate(value: float | None, default: float, settings: Settings, burst: float) -> Rate | None:
    """None: the default, off in the test environment (as the other limits); 0: off."""
    chosen = (0.0 if settings.env == "test" else default) if value is None else value
    return Rate(chosen, max(burst, 1.0)) if chosen > 0 else None


class BudgetRates:
    """The budgets of one process, by frame type (types without an entry share `other`)."""

    def __init__(self, settings: Settings) -> None:
        self.by_type: dict[str, Rate | None] = {
            "send": _rate(settings.messages_per_second, 5.0, settings, settings.message_burst),
            "typing": _rate(settings.typing_per_second, 2.0, settings, 6),
            "read": _rate(settings.read_per_second, 5.0, settings, 20),
            "ping": _rate(settings.ping_per_second, 1.0, settings, 5),
        }
        self.other = _rate(settings.other_frames_per_second, 5.0, settings, 20)
        self.strikes_allowed = settings.ws_budget_strikes

    def rate(self, kind: str) -> Rate | None:
        return self.by_type.get(kind, self.other)


class FrameBudget:
    """One socket's buckets: kind -> [tokens, updated]."""

    __slots__ = ("_buckets", "last_strike", "rates", "strikes")

    def __init__(self, rates: BudgetRates) -> None:
        self.rates = rates
        self._buckets: dict[str, list[float]] = {}
        self.strikes = 0
        self.last_strike = 0.0

    def wait(self, kind: str, now: float) -> float:
        """Take a token for one frame of this kind: 0.0 when allowed, else the seconds until one is free."""
        rate = self.rates.rate(kind)
        if rate is None:
            return 0.0
        bucket = self._buckets.get(kind)
        if bucket is None:
            bucket = self._buckets[kind] = [rate.burst, now]
        tokens = min(rate.burst, bucket[0] + (now - bucket[1]) * rate.per_second)
        bucket[1] = now
        if tokens >= 1:
            bucket[0] = tokens - 1
            return 0.0
        bucket[0] = tokens
        return (1 - tokens) / rate.per_second

    def strike(self, now: float) -> bool:
        """Count one frame over budget; True when the socket has used up its strikes."""
        if now - self.last_strike > STRIKE_WINDOW_S:
            self.strikes = 0
        self.strikes += 1
        self.last_strike = now
        return self.strikes > self.rates.strikes_allowed
