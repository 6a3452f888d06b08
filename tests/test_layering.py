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


# --- Which way imports point ------------------------------------------------------------------
#
# Apps build on the project package (`promptvault/`: settings, entitlements, shared helpers),
# never the other way round: only the URL configuration wires the apps in, and settings name
# them in INSTALLED_APPS. Between apps, one may use another's models, services and selectors,
# but not its views or management commands, which are its own entry points.

# Modules of the project package allowed to import apps: the URL configuration.
WIRING = {"promptvault/urls.py"}
ENTRY_POINTS = {"views", "management"}


def _type_checking_only(tree: ast.Module) -> set[ast.AST]:
    """Imports inside `if TYPE_CHECKING:` blocks: read by type checkers, never run."""
    guarded = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in (
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        ):
            for statement in node.body:
                guarded.update(ast.walk(statement))
    return guarded


def _imported_modules(tree: ast.Module):
    """(line, dotted name) of everything a module imports when it runs, functions included:
    `from a.b import c` gives both `a.b` and `a.b.c`, since `c` may be a module."""
    skipped = _type_checking_only(tree)
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def _app_strings(tree: ast.Module, *, allowed_in: str | None = None):
    """(line, text) of string constants naming a module under `apps` (for `import_module`,
    `import_string`, `include`), except inside an assignment to `allowed_in`."""
    allowed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == allowed_in for target in node.targets
        ):
            allowed.update(ast.walk(node.value))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node not in allowed
            and (node.value == "apps" or node.value.startswith("apps."))
        ):
            yield node.lineno, node.value


def _upward_references(relative: str, tree: ast.Module) -> list[str]:
    if relative in WIRING:
        return []
    found = [
        f"{relative}:{line} imports {name}"
        for line, name in _imported_modules(tree)
        if name == "apps" or name.startswith("apps.")
    ]
    allowed_in = "INSTALLED_APPS" if relative == "promptvault/settings.py" else None
    found += [
        f"{relative}:{line} names {text}"
        for line, text in _app_strings(tree, allowed_in=allowed_in)
    ]
    return sorted(set(found))


def _entry_point(name: str) -> bool:
    return name in ENTRY_POINTS or name.endswith("_views")


def _sibling_entry_points(app: str, relative: str, tree: ast.Module) -> list[str]:
    found = set()
    for line, name in _imported_modules(tree):
        parts = name.split(".")
        if len(parts) >= 3 and parts[0] == "apps" and parts[1] != app and _entry_point(parts[2]):
            found.add(f"{relative}:{line} imports {'.'.join(parts[:3])}")
    return sorted(found)


def test_the_project_package_imports_apps_only_to_wire_their_urls():
    found = []
    for path, tree in _sources("promptvault"):
        found += _upward_references(str(path.relative_to(ROOT)), tree)
    assert found == []


def test_no_app_imports_another_apps_views_or_management_commands():
    found = []
    for path, tree in _sources("apps"):
        relative = path.relative_to(ROOT)
        found += _sibling_entry_points(relative.parts[1], str(relative), tree)
    assert found == []


def test_the_import_rules_catch_what_they_are_for():
    """The checks above, on code that breaks them, so a silent checker can't pass the suite."""
    upward = ast.parse(
        "from apps.prompts.validation import CONTENT_MAX\n"
        "def view():\n"
        "    from apps.prompts import selectors\n"
        "import apps.teams.services\n"
        "HANDLER = 'apps.sharing.views.public'\n"
        "if TYPE_CHECKING:\n"
        "    from apps.accounts.models import User\n"
    )
    assert _upward_references("promptvault/views.py", upward) == [
        "promptvault/views.py:1 imports apps.prompts.validation",
        "promptvault/views.py:1 imports apps.prompts.validation.CONTENT_MAX",
        "promptvault/views.py:3 imports apps.prompts",
        "promptvault/views.py:3 imports apps.prompts.selectors",
        "promptvault/views.py:4 imports apps.teams.services",
        "promptvault/views.py:5 names apps.sharing.views.public",
    ]
    assert _upward_references("promptvault/urls.py", upward) == []
    settings = ast.parse("INSTALLED_APPS = ['apps.prompts']\nX = 'apps.prompts.thing'\n")
    assert _upward_references("promptvault/settings.py", settings) == [
        "promptvault/settings.py:2 names apps.prompts.thing"
    ]

    sibling = ast.parse(
        "from apps.prompts import views\n"
        "from apps.accounts.billing_views import pricing\n"
        "from apps.sharing.management.commands import cleanup\n"
        "from apps.prompts import selectors, services\n"
        "from apps.teams.views import invite_list\n"
    )
    assert _sibling_entry_points("teams", "apps/teams/x.py", sibling) == [
        "apps/teams/x.py:1 imports apps.prompts.views",
        "apps/teams/x.py:2 imports apps.accounts.billing_views",
        "apps/teams/x.py:3 imports apps.sharing.management",
    ]


def test_the_cleanup_command_finds_each_apps_cleanup_without_naming_an_app():
    path = ROOT / "apps/accounts/management/commands/cleanup.py"
    tree = ast.parse(path.read_text())
    assert [name for _, name in _imported_modules(tree) if name.startswith("apps")] == []
    assert list(_app_strings(tree)) == []
