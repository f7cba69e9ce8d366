# SPDX-License-Identifier: MIT
"""Status codes as exceptions: one WorkOrderError subclass per WO_E* code."""

from __future__ import annotations

__all__ = [
    "WorkOrderError",
    "NotFound",
    "InvalidArgument",
    "InvalidState",
    "Forbidden",
    "Conflict",
    "SlotFull",
    "SlotUnavailable",
    "GrabLimit",
    "OutOfStock",
    "PaymentMismatch",
    "ChannelDisabled",
    "Busy",
    "StorageError",
    "SchemaTooNew",
    "Overflow",
    "InternalError",
    "SlotBeyondHorizon",
    "SlotTooEarly",
    "Aborted",
    "Ineligible",
    "NullField",
    "UnknownName",
    "error_for",
]


class WorkOrderError(Exception):
    """A failed libworkorder call.

    ``code`` is the C status code (see ``Status``); ``message`` is wo_errmsg() read right after
    the failing call: it names the field and the value. ``str(error)`` is the message.
    """

    code: int | None = None

    def __init__(self, message: str = "", code: int | None = None):
        if code is None:
            code = type(self).code
        super().__init__(message, code)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        if self.message:
            return self.message
        return f"status {self.code}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r})"


class NotFound(WorkOrderError):
    """No such record, or the actor may not see it (WO_ENOTFOUND)."""

    code = 1


class InvalidArgument(WorkOrderError):
    """Bad argument: missing, unknown, malformed or out-of-range field (WO_EINVALID)."""

    code = 2


class InvalidState(WorkOrderError):
    """The record's state does not allow this action (WO_ESTATE)."""

    code = 3


class Forbidden(WorkOrderError):
    """The actor may see the record but not do this (WO_EFORBIDDEN)."""

    code = 4


class Conflict(WorkOrderError):
    """Clashes with existing data: duplicate name, phone, ... (WO_ECONFLICT)."""

    code = 5


class SlotFull(WorkOrderError):
    """The appointment slot is full (WO_ESLOTFULL)."""

    code = 6


class SlotUnavailable(WorkOrderError):
    """Not a slot of the schedule: misaligned, wrong day or hour (WO_ESLOTUNAVAILABLE)."""

    code = 7


class GrabLimit(WorkOrderError):
    """The staff member holds the most orders allowed (WO_EGRABLIMIT)."""

    code = 8


class OutOfStock(WorkOrderError):
    """Not enough stock: a requisition is needed (WO_EOUTOFSTOCK)."""

    code = 9


class PaymentMismatch(WorkOrderError):
    """The payment amount does not match (WO_EPAYMENT)."""

    code = 10


class ChannelDisabled(WorkOrderError):
    """The payment channel is not enabled (WO_ECHANNEL)."""

    code = 11


class Busy(WorkOrderError):
    """The database stayed locked past the busy timeout (WO_EBUSY)."""

    code = 12


class StorageError(WorkOrderError):
    """An I/O or database error (WO_ESTORAGE)."""

    code = 13


class SchemaTooNew(WorkOrderError):
    """The database was written by a newer library (WO_ESCHEMA)."""

    code = 14


class Overflow(WorkOrderError):
    """An amount or quantity does not fit 64 bits (WO_EOVERFLOW)."""

    code = 15


class InternalError(WorkOrderError):
    """A bug in the library, or out of memory (WO_EINTERNAL)."""

    code = 16


class SlotBeyondHorizon(WorkOrderError):
    """The appointment slot is beyond the booking horizon (WO_ESLOTHORIZON)."""

    code = 17


class SlotTooEarly(WorkOrderError):
    """The appointment slot starts before now + the lead time (WO_ESLOTTOOEARLY)."""

    code = 18


class Aborted(WorkOrderError):
    """The host's callback stopped the operation, e.g. the CSV export's writer (WO_EABORTED)."""

    code = 19


class Ineligible(InvalidState):
    """The staff member may not take the order: inactive, or without the order type's
    department and position (WO_EINELIGIBLE). A subclass of InvalidState, the error these
    cases raised before WO_EINELIGIBLE existed, so ``except InvalidState`` still catches them."""

    code = 20


class NullField(WorkOrderError):
    """A record field is null (WO_ENULL). The binding reads null fields as None, so it does not
    raise this itself; it is here for codes read from the library directly."""

    code = 21


class UnknownName(InvalidArgument, ValueError):
    """A name the binding does not know, raised before any call: an enum member's name
    (``charge_mode="prepay_depost"``) or a record kind (``db.create("departmnt", ...)``). The
    message lists the valid names. Both an InvalidArgument and a ValueError."""


_BY_CODE: dict[int, type[WorkOrderError]] = {
    cls.code: cls
    for cls in (
        NotFound,
        InvalidArgument,
        InvalidState,
        Forbidden,
        Conflict,
        SlotFull,
        SlotUnavailable,
        GrabLimit,
        OutOfStock,
        PaymentMismatch,
        ChannelDisabled,
        Busy,
        StorageError,
        SchemaTooNew,
        Overflow,
        InternalError,
        SlotBeyondHorizon,
        SlotTooEarly,
        Aborted,
        Ineligible,
        NullField,
    )
}


def error_for(code: int, message: str = "") -> WorkOrderError:
    """The exception for status `code`; a code this binding does not know gives the base class."""
    return _BY_CODE.get(code, WorkOrderError)(message, code)
