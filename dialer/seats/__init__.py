"""Agents' seats: states, allowed changes, and their timestamped history."""

from dialer.seats.service import SEAT_TRANSITIONS, change_seat, expire_wrap_ups, get_seat

__all__ = ["SEAT_TRANSITIONS", "change_seat", "expire_wrap_ups", "get_seat"]
