# SPDX-License-Identifier: MIT
"""The session-wide check of conftest.py (issue 12, item 9): every status a wo_* function
returns must be listed in that function's comment in workorder.h."""

from __future__ import annotations

import os
import pathlib
import re

import pytest
from conftest import documented_codes, header_path

import conftest
import workorder as wo

SAMPLE = """
/* ---- a section: WO_ESTATE here belongs to no function ---- */

/** Does a. Returns WO_OK, WO_EINVALID (bad argument), WO_ENOTFOUND. */
WO_API int wo_a(wo_db* db);

/** Not the comment of wo_b: a declaration comes between. Returns WO_ECONFLICT. */
typedef int wo_unrelated;

/** Advances. Returns WO_OK with *out a record, or WO_DONE at the end. */
WO_API int wo_b(wo_record** out,
                wo_iter* iter);

WO_API void wo_c(void);
"""


def test_the_codes_of_a_function_are_those_of_its_own_comment():
    header = "typedef WO_ENUM(wo_status) {\n  WO_OK = 0,\n  WO_ENOTFOUND = 1,\n  WO_EINVALID = 2,\n"
    header += "  WO_ESTATE = 3,\n  WO_ECONFLICT = 5,\n  WO_DONE = 100\n} wo_status;\n" + SAMPLE
    assert documented_codes(header) == {"wo_a": {0, 1, 2}, "wo_b": {0, 100}}


def test_the_real_header_documents_every_status_function():
    path = header_path()
    if path is None:
        pytest.skip("workorder.h not found")
    text = path.read_text(encoding="utf-8")
    codes = documented_codes(text)
    declared = re.findall(r"^WO_API\s+int\s+(wo_\w+)\s*\(", text, flags=re.M)
    assert declared and all(name in codes for name in declared)
    assert all(wo.Status.OK in codes[name] for name in declared if name not in ("wo_libversion_number",))


def test_the_session_sees_calls_and_the_record_copy_loop(db, admin, catalog):
    log = conftest._status_log
    if log is None:
        pytest.skip("no header: the check is off")
    list(db.departments.list(admin))
    with pytest.raises(wo.NotFound):
        db.departments.get(admin, 999_999)
    for pair in [("wo_department_create", 0), ("wo_department_get", 1), ("wo_iter_next", 100), ("wo_record_values", 0)]:
        assert log.seen.get(pair, 0) > 0, pair


INNER_TEST = """
import pytest
import workorder as wo

def test_reads_a_missing_department(db, admin):
    with pytest.raises(wo.NotFound):
        db.departments.get(admin, 424242)

def test_passes(db, admin):
    assert db.departments.create(admin, name="x") > 0
"""


def test_an_undocumented_code_fails_the_test_that_caused_it(pytester, monkeypatch):
    path = header_path()
    if path is None:
        pytest.skip("workorder.h not found")
    header = path.read_text(encoding="utf-8")
    # The same header, but wo_department_get's comment no longer lists WO_ENOTFOUND.
    match = re.search(r"/\*\*((?:(?!\*/).)*)\*/\s*WO_API int wo_department_get\(", header, flags=re.S)
    assert match and "WO_ENOTFOUND" in match.group(1)
    changed = header[: match.start(1)] + match.group(1).replace("WO_ENOTFOUND", "") + header[match.end(1) :]
    (pytester.path / "workorder.h").write_text(changed, encoding="utf-8")
    monkeypatch.setenv("WORKORDER_HEADER", str(pytester.path / "workorder.h"))
    package = pathlib.Path(wo.__file__).resolve().parent.parent
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(package), os.environ.get("PYTHONPATH", "")]))
    pytester.makeconftest(pathlib.Path(conftest.__file__).read_text(encoding="utf-8"))
    pytester.makepyfile(test_inner=INNER_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*wo_department_get returned 1 (NOT_FOUND), which its comment in workorder.h does not list*"])
    result.stdout.fnmatch_lines(
        [
            "documented codes: * functions called, * (function, code) pairs seen, 1 undocumented",
            "  undocumented: wo_department_get returned 1 (NOT_FOUND) in test_inner.py::test_reads_a_missing_department",
        ]
    )

