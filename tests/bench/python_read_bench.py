#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""python_read_bench.py — how fast the Python binding copies order records, against Python's
own sqlite3 module reading the same rows from the same file (issue 12, item 6).

    WORKORDER_LIBRARY=build/default/capi/libworkorder.so PYTHONPATH=bindings/python \\
        python3 tests/bench/python_read_bench.py [--orders 10000] [--repeat 3]

It seeds a SQLite file with --orders orders through the binding, then times (a) reading every
order through ``db.orders(actor, view=ALL, page_size=200)`` into Record objects, as users get
them, and (b) ``SELECT * FROM work_order`` through sqlite3 (in a child process: two SQLite
copies in one process must never open the same file). Each figure is the best of --repeat
runs. stdout: one JSON object per line — the binding, sqlite3, and their ratio. Not pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import workorder as wo

# Runs in the child: the best of `repeat` full reads of the table, each from a fresh connection
# (so no statement cache carries over), timing only execute + fetchall as the parent does.
SQLITE_READER = r"""
import json, sqlite3, sys, time
path, repeat = sys.argv[1], int(sys.argv[2])
best, rows, columns = None, 0, 0
for _ in range(repeat):
    con = sqlite3.connect(path)
    start = time.perf_counter()
    cur = con.execute("SELECT * FROM work_order")
    data = cur.fetchall()
    seconds = time.perf_counter() - start
    rows, columns = len(data), len(cur.description)
    con.close()
    best = seconds if best is None else min(best, seconds)
print(json.dumps({"seconds": best, "rows": rows, "columns": columns}))
"""


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def seed(path: str, orders: int) -> int:
    """Creates an org with one subtype and `orders` orders (half reported by a tenant contact,
    half by staff for the org, so the rows hold both nulls and values); returns the admin id."""
    with wo.Database(path, sync_normal=True) as db, wo.Actor.system() as system:
        _, admin_id = db.org_create(
            system,
            org={"name": "Sunshine Property (阳光物业)", "time_zone": "Asia/Shanghai"},
            admin={"name": "Wang Li (王丽)", "phone": "13800000001"},
        )
        with wo.Actor.staff(admin_id) as admin:
            dept = db.departments.create(admin, name="Maintenance (维修部)")
            pos = db.positions.create(admin, name="Plumber (水工)")
            kind = db.order_types.create(admin, name="Household repair", department_id=dept, position_id=pos)
            sub = db.subtypes.create(admin, order_type_id=kind, name="Leaking pipe", charge_mode="after_completion")
            tenant = db.tenants.create(admin, name="Zhang Wei (张伟)", tenant_kind="person")
            contact_id = db.contacts.create(admin, tenant_id=tenant, name="Zhang Wei", phone="13700000001")
            with wo.Actor.contact(contact_id) as contact:
                for i in range(orders):
                    by_contact = i % 2 == 0
                    draft = {
                        "subtype_id": sub,
                        "description": f"The pipe under the kitchen sink is leaking (厨房水槽下水管漏水) #{i}",
                        "address": f"Building {i % 20 + 1}, Room {i % 300 + 101}",
                        "source_channel": "mini_program" if by_contact else "staff_pc",
                    }
                    if by_contact:
                        draft["unit_ref"] = f"{i % 20 + 1}-{i % 300 + 101}"
                    db.order_submit(contact if by_contact else admin, draft)
    return admin_id


def time_binding(path: str, admin_id: int, repeat: int) -> tuple[float, int, int]:
    """The best of `repeat` full reads through db.orders; (seconds, records, fields)."""
    best, count, fields = None, 0, 0
    with wo.Database(path) as db, wo.Actor.staff(admin_id) as admin:
        for _ in range(repeat):
            start = time.perf_counter()
            records = list(db.orders(admin, view=wo.OrderView.ALL, page_size=200))
            seconds = time.perf_counter() - start
            count, fields = len(records), len(records[0]) if records else 0
            del records
            best = seconds if best is None else min(best, seconds)
    return best, count, fields


def time_sqlite3(path: str, repeat: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", SQLITE_READER, path, str(repeat)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def emit(**fields) -> None:
    print(json.dumps(fields, ensure_ascii=False, separators=(",", ":")), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=positive, default=10_000, help="orders to seed and read (10000)")
    parser.add_argument("--repeat", type=positive, default=3, help="runs of each read; the best counts (3)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="wo-python-bench-") as tmp:
        path = os.path.join(tmp, "orders.db")
        start = time.perf_counter()
        admin_id = seed(path, args.orders)
        print(f"seeded {args.orders} orders in {time.perf_counter() - start:.2f} s", file=sys.stderr)

        seconds, count, fields = time_binding(path, admin_id, args.repeat)
        if count != args.orders:
            print(f"read {count} orders, expected {args.orders}", file=sys.stderr)
            return 1
        raw = time_sqlite3(path, args.repeat)
        if raw["rows"] != args.orders:
            print(f"sqlite3 read {raw['rows']} rows, expected {args.orders}", file=sys.stderr)
            return 1

    emit(
        bench="python_read_orders",
        what="workorder",
        orders=count,
        fields=fields,
        seconds=round(seconds, 6),
        us_per_record=round(seconds / count * 1e6, 2),
    )
    emit(
        bench="python_read_orders",
        what="sqlite3",
        orders=raw["rows"],
        fields=raw["columns"],
        seconds=round(raw["seconds"], 6),
        us_per_record=round(raw["seconds"] / raw["rows"] * 1e6, 2),
    )
    emit(bench="python_read_orders", what="ratio", orders=count, ratio=round(seconds / raw["seconds"], 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
