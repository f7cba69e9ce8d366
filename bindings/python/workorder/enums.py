# SPDX-License-Identifier: MIT
"""The enumerations of workorder.h as Python enums. Values are the C enums' values."""

from __future__ import annotations

import difflib
import enum
from typing import Any

from .errors import UnknownName

__all__ = [
    "Status",
    "Role",
    "TenantKind",
    "ChargeMode",
    "Channel",
    "MovementKind",
    "DispatchStrategy",
    "ServiceState",
    "OrderStatus",
    "Action",
    "SourceChannel",
    "Payer",
    "LineKind",
    "PaymentKind",
    "ActorKind",
    "FieldType",
    "OrderView",
    "Audience",
    "DashboardTable",
    "status_mask",
    "coerce",
]


class Status(enum.IntEnum):
    """Status codes (WO_OK, WO_E*, WO_DONE); stable, never renumbered."""

    OK = 0
    NOT_FOUND = 1
    INVALID_ARGUMENT = 2
    INVALID_STATE = 3
    FORBIDDEN = 4
    CONFLICT = 5
    SLOT_FULL = 6
    SLOT_UNAVAILABLE = 7
    GRAB_LIMIT = 8
    OUT_OF_STOCK = 9
    PAYMENT_MISMATCH = 10
    CHANNEL_DISABLED = 11
    BUSY = 12
    STORAGE_ERROR = 13
    SCHEMA_TOO_NEW = 14
    OVERFLOW = 15
    INTERNAL_ERROR = 16
    SLOT_BEYOND_HORIZON = 17
    SLOT_TOO_EARLY = 18
    ABORTED = 19
    INELIGIBLE = 20
    NULL_FIELD = 21
    DONE = 100


class Role(enum.IntFlag):
    """Staff roles (WO_ROLE_*): a bit mask, a staff member may have several."""

    ADMIN = 1
    DISPATCHER = 2
    TECHNICIAN = 4


class TenantKind(enum.IntEnum):
    """tenant.tenant_kind (WO_TENANT_*)."""

    PERSON = 0
    COMPANY = 1


class ChargeMode(enum.IntEnum):
    """subtype.charge_mode (WO_CHARGE_*)."""

    FREE = 0
    AFTER_COMPLETION = 1
    PREPAY_DEPOSIT = 2
    PREPAY_FULL = 3


class Channel(enum.IntEnum):
    """payment_channel.channel (WO_CHANNEL_*)."""

    WECHAT = 0
    ALIPAY = 1
    CORPORATE = 2
    CASH = 3
    BANK_TRANSFER = 4
    OTHER = 5


class MovementKind(enum.IntEnum):
    """stock_movement.movement_kind (WO_MOVEMENT_*)."""

    REQUISITION = 0
    ADJUSTMENT = 1
    RESERVE = 2
    RELEASE = 3
    CONSUME = 4


class DispatchStrategy(enum.IntEnum):
    """order_type.dispatch_strategy (WO_DISPATCH_*): how the type's orders find an assignee on
    reaching pending_dispatch."""

    MANUAL = 0  # a dispatcher assigns, or a technician grabs (the default)
    ROUND_ROBIN = 1  # the system assigns the next in turn after the type's last
    LEAST_LOADED = 2  # the system assigns whoever holds fewest, then idle longest


class OrderStatus(enum.IntEnum):
    """order.status, event.from_status / to_status (WO_STATUS_*)."""

    AWAITING_PREPAYMENT = 0
    PENDING_DISPATCH = 1
    PENDING_ACCEPT = 2
    IN_PROGRESS = 3
    AWAITING_PAYMENT = 4
    AWAITING_RATING = 5
    COMPLETED = 6
    CANCELLED = 7


class Action(enum.IntEnum):
    """event.action (WO_ACTION_*)."""

    SUBMIT = 0
    PAY_PREPAYMENT = 1
    ASSIGN = 2
    GRAB = 3
    ACCEPT = 4
    REJECT = 5
    TRANSFER = 6
    ADD_LINE = 7
    REMOVE_LINE = 8
    FINISH = 9
    PAY = 10
    REFUND = 11
    RATE = 12
    REOPEN = 13
    CANCEL = 14
    MESSAGE = 15
    PREPAYMENT_TIMEOUT = 16
    ACCEPT_TIMEOUT = 17
    RATING_TIMEOUT = 18
    RESCHEDULE = 19
    AUTO_ASSIGN = 20  # the system assigned it by the order type's dispatch strategy
    DISPATCH_UNMATCHED = 21  # the strategy found no one: it waits in the pool
    SLA_WARNING = 22  # a service-level clock used its warning share; details: which clock
    SLA_BREACH = 23  # a service-level clock passed its target; details as for SLA_WARNING


class ServiceState(enum.IntEnum):
    """order.response_state / resolution_state (WO_SERVICE_*): where a service-level clock
    stands, as of the read (docs/rules.md §11)."""

    NONE = 0  # no target, or cancelled within it
    OPEN = 1  # running or paused, within its target
    MET = 2  # stopped within its target
    BREACHED = 3  # stopped late, or running past its due instant


class SourceChannel(enum.IntEnum):
    """order.source_channel (WO_SOURCE_*)."""

    TENANT_APP = 0
    MINI_PROGRAM = 1
    H5 = 2
    STAFF_MOBILE = 3
    STAFF_PC = 4
    API = 5


class Payer(enum.IntEnum):
    """order.payer (WO_PAYER_*)."""

    TENANT = 0
    ENTERPRISE = 1


class LineKind(enum.IntEnum):
    """charge_line.line_kind (WO_LINE_*)."""

    LABOR = 0
    MATERIAL = 1
    SERVICE_ITEM = 2


class PaymentKind(enum.IntEnum):
    """payment.payment_kind (WO_PAYMENT_*)."""

    PREPAYMENT = 0
    PAYMENT = 1
    REFUND = 2


class ActorKind(enum.IntEnum):
    """event.actor_kind, order.created_by_kind, payment.recorded_by_kind (WO_ACTOR_*)."""

    SYSTEM = 0
    STAFF = 1
    CONTACT = 2


class OrderView(enum.IntEnum):
    """The views of Database.orders (WO_VIEW_*): which orders a list starts from."""

    ALL = 0  # every order the actor can see
    TENANT_TODO = 1  # contacts: my orders awaiting prepayment, payment or rating (待我处理)
    SUBMITTED_BY_ME = 2  # contacts and staff: orders I reported (我提交的)
    MY_TASKS = 3  # staff: orders I hold
    POOL = 4  # technicians: pending_dispatch orders I could grab


class Audience(enum.IntEnum):
    """event.concerns (WO_AUDIENCE_*): whom a history event concerns (concerns_id names them)."""

    NOBODY = 0
    STAFF = 1
    CONTACT = 2
    DISPATCHERS = 3


class DashboardTable(enum.IntEnum):
    """The tables of a dashboard (WO_DASHBOARD_*)."""

    TYPES = 0
    SUBTYPES = 1
    DAYS = 2
    STAFF = 3


def status_mask(*statuses: int | str) -> int:
    """An order query's status_mask (WO_STATUS_BIT): one bit per wanted OrderStatus, given as
    members, ints or names (``status_mask("completed", "cancelled")``)."""
    mask = 0
    for s in statuses:
        s = OrderStatus(coerce(OrderStatus, s, "status"))  # an unknown status raises ValueError
        mask |= 1 << int(s)
    return mask


def _names(enum_cls: type[enum.Enum]) -> list[str]:
    return [m.name.lower() for m in enum_cls.__members__.values()]


def coerce(enum_cls: type[enum.Enum], value: Any, what: str) -> Any:
    """`value` for a parameter or field of `enum_cls`: a member's name in any case
    ("prepay_deposit", "PREPAY_DEPOSIT") becomes the member; for a flag enum (Role) a list,
    tuple or set of names and values becomes their union. Ints and members pass unchanged (the
    library checks the value). An unknown name raises UnknownName listing the valid ones; a
    member of another enum (SourceChannel.H5 for a channel) or a bool raises TypeError, as its
    number would silently mean something else here."""
    if isinstance(value, bool) or (isinstance(value, enum.Enum) and not isinstance(value, enum_cls)):
        raise TypeError(f"{what} takes {enum_cls.__name__} values (a member, its name or its int), got {value!r}")
    if isinstance(value, str):
        member = enum_cls.__members__.get(value.upper())
        if member is None:
            valid = _names(enum_cls)
            close = difflib.get_close_matches(value.lower(), valid, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else "."
            raise UnknownName(
                f"{what} {value!r} is not a name of {enum_cls.__name__}{hint} Valid names: {', '.join(valid)}"
            )
        return member
    if issubclass(enum_cls, enum.Flag) and isinstance(value, (list, tuple, set, frozenset)):
        combined = enum_cls(0)
        for item in value:
            item = coerce(enum_cls, item, what)
            if isinstance(item, bool) or not isinstance(item, int):
                raise TypeError(f"{what}: entries must be {enum_cls.__name__} names or ints, got {item!r}")
            combined |= item
        return combined
    return value


class FieldType(enum.IntEnum):
    """wo_record_field_type results (WO_TYPE_*)."""

    NULL = 0
    INT = 1
    TEXT = 2


# Record fields whose integers read back as one of the enums above. A value the enum does
# not know (a newer library) stays a plain int.
FIELD_ENUMS: dict[str, type] = {
    "roles": Role,
    "tenant_kind": TenantKind,
    "charge_mode": ChargeMode,
    "channel": Channel,
    "movement_kind": MovementKind,
    "dispatch_strategy": DispatchStrategy,
    "response_state": ServiceState,
    "resolution_state": ServiceState,
    "status": OrderStatus,
    "from_status": OrderStatus,
    "to_status": OrderStatus,
    "action": Action,
    "source_channel": SourceChannel,
    "payer": Payer,
    "line_kind": LineKind,
    "payment_kind": PaymentKind,
    "actor_kind": ActorKind,
    "created_by_kind": ActorKind,
    "recorded_by_kind": ActorKind,
    "concerns": Audience,
}
