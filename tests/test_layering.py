"""How the code is layered, checked on the source itself: views leave writes to services, and
no module reaches for another module's private names."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITES = {"save", "delete", "create", "update", "bulk_create", "bulk_update", "get_or_create"}
ALWAYS_WRITES = {"save", "delete", "bulk_create", "bulk_update", "get_or_create"}


def _sources(*folders: str):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(), filename=str(path))


def _view_modules():
    for path, tree in _sources("apps"):
        if path.name == "views.py" or path.name.endswith("_views.py") or "views" in path.parts:
            yield path, tree


def _reaches_the_database(node: ast.expr) -> bool:
    """Whether an expression is built on a model manager or queryset (`X.objects…`)."""
    while isinstance(node, ast.Attribute | ast.Call):
        if isinstance(node, ast.Attribute):
            if node.attr == "objects":
                return True
            node = node.value
        else:
            node = node.func
    return False


def test_views_leave_writes_to_services():
    found = []
    for path, tree in _view_modules():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            method = node.func.attr
            if method in ALWAYS_WRITES or (
                method in WRITES and _reaches_the_database(node.func.value)
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{method}(")
    assert found == []


def test_no_module_imports_another_modules_private_names():
    found = []
    for path, tree in _sources("apps", "promptvault"):
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} {alias.name}")
    assert found == []
