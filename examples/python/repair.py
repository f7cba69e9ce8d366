# SPDX-License-Identifier: MIT
"""repair.py — one repair order (在线报修) from submission to the bill, through the Python binding.

A tenant reports a leaking pipe, pays the deposit, a technician is assigned and works
1.5 hours, the tenant pays the rest and rates the work. The same story is told in C, C++
and Java beside this file, and all four print examples/expected-output.txt.
"""

import sys

import workorder as wo


def decimal(value: int, scale: int, digits: int) -> str:
    """Money is int fen and quantities int thousandths: format them with integer arithmetic."""
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), scale)
    return f"{sign}{whole}.{frac:0{digits}d}"


def bill_row(kind: str, name: str, qty: str, amount: int) -> None:
    print(f"  {kind:<7} {name:<16} {qty:>6} {decimal(amount, 100, 2):>8}")


def main() -> None:
    # A private in-memory SQLite database: nothing is left behind.
    with wo.Database(":memory:") as db:
        # 1. The system actor creates the org and its first admin.
        org_id, admin_id = db.org_create(
            wo.Actor.system(),
            org={"name": "Sunshine Property (阳光物业)", "time_zone": "Asia/Shanghai"},
            admin={"name": "Wang Li (王丽)", "phone": "13800000001"},
        )
        admin = wo.Actor.staff(admin_id)

        # 2. The admin sets up what the story needs. An order type is handled by the staff of
        #    one department and position; its subtype asks for a 30.00 deposit on a 50.00
        #    service spec, and allows labor lines (consumables_enabled).
        #    Each record kind is an attribute of the database: db.departments, db.staff, ...
        maintenance = db.departments.create(admin, name="Maintenance (维修部)")
        plumber = db.positions.create(admin, name="Plumber (水工)")
        household = db.order_types.create(
            admin, name="Household repair (室内报修)", department_id=maintenance, position_id=plumber
        )
        leaking_pipe = db.subtypes.create(
            admin,
            order_type_id=household,
            name="Leaking pipe (水管漏水)",
            charge_mode="prepay_deposit",  # an enum's name, or wo.ChargeMode.PREPAY_DEPOSIT
            deposit_fixed=3000,
            consumables_enabled=True,
        )
        fix_a_leak = db.service_specs.create(admin, subtype_id=leaking_pipe, name="Fix a leak", price=5000)

        # The technician belongs to the order type's department and position: that makes them
        # eligible, and the department's labor rate (80.00 an hour) prices their work.
        tech_id = db.staff.create(
            admin,
            name="Li Qiang (李强)",
            phone="13900000002",
            department_id=maintenance,
            position_id=plumber,
            roles=["technician"],  # names, a list of them, or wo.Role flags
        )
        labor = db.labor_items.create(admin, name="Plumbing labor")
        db.labor_rates.create(admin, labor_item_id=labor, department_id=maintenance, rate=8000)

        # Payment channels start disabled.
        db.channel_set_enabled(admin, "wechat", True)

        # The tenant and the contact who reports and pays.
        tenant = db.tenants.create(admin, name="Zhang Wei (张伟)", tenant_kind="person")
        contact_id = db.contacts.create(admin, tenant_id=tenant, name="Zhang Wei (张伟)", phone="13700000001")
        tech = wo.Actor.staff(tech_id)
        contact = wo.Actor.contact(contact_id)

        def step(who: wo.Actor, order: int, what: str) -> None:
            # Enum fields read back as enums: OrderStatus.AWAITING_PREPAYMENT -> "awaiting_prepayment".
            print(f"{what}: {db.order_get(who, order).status.name.lower()}")

        # 3. The contact submits the order: a deposit is due, so it awaits the prepayment.
        order = db.order_submit(
            contact,
            subtype_id=leaking_pipe,
            spec_id=fix_a_leak,
            description="The pipe under the kitchen sink is leaking (厨房水槽下水管漏水)",
            address="Building 3, Room 1502 (3栋1502)",
            source_channel="mini_program",
        )
        step(contact, order, "submitted")

        # 4. The contact pays exactly the deposit due. The library only records payments: the
        #    host talks to the provider, whose transaction id makes a repeated report harmless.
        due = db.order_get(contact, order).prepay_due
        db.order_pay_prepayment(contact, order, channel="wechat", amount=due, provider_txn_id="wx-0001")
        step(contact, order, "deposit paid")

        # 5. The admin (also a dispatcher) assigns the technician, who accepts.
        db.order_assign(admin, order, tech_id)
        step(admin, order, "assigned")
        db.order_accept(tech, order)
        step(tech, order, "accepted")

        # 6. 1.5 hours of labor: quantities are thousandths.
        db.order_add_line(tech, order, line_kind="labor", item_id=labor, qty=1500)
        step(tech, order, "labor added")

        # 7. Finishing fixes the bill; the tenant still owes the balance.
        db.order_finish(tech, order)
        step(tech, order, "finished")

        # 8. The contact pays the balance, then rates the work.
        balance = db.order_get(contact, order).balance
        db.order_pay(contact, order, channel="wechat", amount=balance, provider_txn_id="wx-0002")
        step(contact, order, "balance paid")
        db.order_rate(contact, order, 5, "很快")
        step(contact, order, "rated")

        # 9. The bill as the tenant sees it: the spec's price, the charge lines, what was paid.
        o = db.order_get(contact, order)
        print("bill:")
        bill_row("spec", db.service_specs.get(contact, o.spec_id).name, "", o.spec_price)
        for line in db.order_lines(contact, order):
            if not line.removed:
                bill_row(line.line_kind.name.lower(), line.name, decimal(line.qty, 1000, 3), line.amount)
        bill_row("total", "", "", o.total)
        bill_row("paid", "", "", o.paid)
        bill_row("balance", "", "", o.balance)
        print(f"status: {o.status.name.lower()}")


if __name__ == "__main__":
    try:
        main()
    except wo.WorkOrderError as e:
        # Every failed call raises and changes nothing; the message names the field and value.
        print(f"repair: {e.message}", file=sys.stderr)
        sys.exit(1)
