# SPDX-License-Identifier: MIT
"""workorder: Python binding of libworkorder, a work-order engine for property management.

Pure ctypes over the library's C ABI (workorder.h); no compiled extension, no dependencies.
The library is found through the WORKORDER_LIBRARY environment variable, then next to this
package, then on the system (libworkorder.so.0).

    import workorder as wo

    with wo.Database("repairs.db") as db, wo.Actor.system() as system:
        org_id, admin_id = db.org_create(system, org={"name": "Sunrise", "time_zone": "Asia/Shanghai"},
                                         admin={"name": "Li", "phone": "13800000000"})
        with wo.Actor.staff(admin_id) as admin:
            dept = db.departments.create(admin, name="Plumbing")
            print(db.departments.get(admin, dept).name)
"""

from ._core import (
    Actor,
    Dashboard,
    Database,
    OrderIterator,
    Record,
    RecordIterator,
    Records,
    catalog_kinds,
    strerror,
    version,
    version_number,
)
from ._ffi import library_path
from .enums import (
    Action,
    ActorKind,
    Audience,
    ChargeMode,
    Channel,
    DashboardTable,
    DispatchStrategy,
    FieldType,
    LineKind,
    MovementKind,
    OrderStatus,
    OrderView,
    Payer,
    PaymentKind,
    Role,
    ServiceState,
    SourceChannel,
    Status,
    TenantKind,
    status_mask,
)
from .errors import (
    Aborted,
    Busy,
    ChannelDisabled,
    Conflict,
    Forbidden,
    GrabLimit,
    Ineligible,
    InternalError,
    InvalidArgument,
    InvalidState,
    NotFound,
    NullField,
    OutOfStock,
    Overflow,
    PaymentMismatch,
    SchemaTooNew,
    SlotBeyondHorizon,
    SlotFull,
    SlotTooEarly,
    SlotUnavailable,
    StorageError,
    UnknownName,
    WorkOrderError,
)

__version__ = "0.3.0"  # this binding; the library's own is version()

__all__ = [
    "Aborted",
    "Action",
    "Actor",
    "ActorKind",
    "Audience",
    "Busy",
    "ChannelDisabled",
    "ChargeMode",
    "Channel",
    "Conflict",
    "Dashboard",
    "DashboardTable",
    "Database",
    "DispatchStrategy",
    "FieldType",
    "Forbidden",
    "GrabLimit",
    "Ineligible",
    "InternalError",
    "InvalidArgument",
    "InvalidState",
    "LineKind",
    "MovementKind",
    "NotFound",
    "NullField",
    "OrderIterator",
    "OrderStatus",
    "OrderView",
    "OutOfStock",
    "Overflow",
    "Payer",
    "PaymentKind",
    "PaymentMismatch",
    "Record",
    "RecordIterator",
    "Records",
    "Role",
    "SchemaTooNew",
    "ServiceState",
    "SlotBeyondHorizon",
    "SlotFull",
    "SlotTooEarly",
    "SlotUnavailable",
    "SourceChannel",
    "Status",
    "StorageError",
    "TenantKind",
    "UnknownName",
    "WorkOrderError",
    "catalog_kinds",
    "library_path",
    "status_mask",
    "strerror",
    "version",
    "version_number",
]
