"""Exact decimal arithmetic at printed precision (never binary floats)."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal


def decimals_of(printed: str) -> int:
    """Digits after the point as printed: "33.30" -> 2, "2321" -> 0."""
    return len(printed.split(".")[1]) if "." in printed else 0


def quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(quantum(places), rounding=ROUND_HALF_UP)


def truncate(value: Decimal, places: int) -> Decimal:
    return value.quantize(quantum(places), rounding=ROUND_DOWN)


def round_half_down(value: Decimal, places: int) -> Decimal:
    return value.quantize(quantum(places), rounding=ROUND_HALF_DOWN)


def round_half_even(value: Decimal, places: int) -> Decimal:
    return value.quantize(quantum(places), rounding=ROUND_HALF_EVEN)


def is_tie(value: Decimal, places: int) -> bool:
    """The value lies exactly halfway between two numbers at this precision."""
    return abs(value - truncate(value, places)) == quantum(places) / 2


def plain(value: Decimal) -> str:
    """A decimal as a plain string without exponent or needless trailing zeros."""
    text = format(value.normalize(), "f")
    return text
