"""Agents' seats: states, allowed changes, their timestamped history, and the seat desk."""

from dialer.seats.desk import SeatDesk, SeatView
from dialer.seats.service import (
    SEAT_TRANSITIONS,
    change_seat,
    expire_wrap_ups,
    get_seat,
    renew_heard,
)

__all__ = [
    "SEAT_TRANSITIONS",
    "SeatDesk",
    "SeatView",
    "change_seat",
    "expire_wrap_ups",
    "get_seat",
    "renew_heard",
]
