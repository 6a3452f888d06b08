"""How the code is layered, checked on the source itself: no module reaches for another
module's private names."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _sources(*folders: str):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(), filename=str(path))


def test_no_module_imports_another_modules_private_names():
    found = []
    for path, tree in _sources("apps", "promptvault"):
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} {alias.name}")
    assert found == []
