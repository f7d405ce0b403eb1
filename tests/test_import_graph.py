"""The questionnaire package's imports run one way: no cycle, and Flask only in the web layer.

The graph is read from the source with `ast`, so it sees every import a reader sees: at the top,
inside functions (the usual way to hide a cycle), relative ones, and `from package import module`.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "questionnaire"
WEB = f"{PACKAGE}.web"
WEB_ONLY = ("flask", "flask_babel", "flask_wtf", "wtforms")


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted((ROOT / PACKAGE).rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    """`if TYPE_CHECKING:` (or typing.TYPE_CHECKING): imports for annotations only, never run."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imported_names(name: str, path: Path, modules: Collection[str]) -> Iterator[tuple[str, int]]:
    """Every module `name` imports (absolute dotted names, with the line), wherever the import statement is.

    Imports under `if TYPE_CHECKING:` are left out: they never run, so they cannot make an import cycle.

    `from x import y` is an import of module x.y when that is one of `modules`, else of x (y is a name in x).
    """
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    type_only = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.If) and _is_type_checking(node.test)
                 for statement in node.body for inner in ast.walk(statement)}
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                yield (submodule if submodule in modules else source), node.lineno


def parents_run_first(importer: str, target: str) -> Iterator[str]:
    """Importing a.b.c runs a and a.b first: those are imports too, except the importer's own parents."""
    parts = target.split(".")
    for end in range(1, len(parts)):
        parent = ".".join(parts[:end])
        if not (importer + ".").startswith(parent + "."):
            yield parent


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports."""
    modules = package_modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for target, _line in imported_names(name, path, modules):
            if target in modules and target != name:
                graph[name].add(target)
                graph[name].update(parents_run_first(name, target))
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle graphlib finds, breaking each one found until none is left."""
    remaining = {node: set(targets) for node, targets in graph.items()}
    found: list[list[str]] = []
    while True:
        try:
            TopologicalSorter(remaining).prepare()
        except CycleError as error:
            cycle: list[str] = error.args[1]  # [a, b, ..., a], each needing the next
            found.append(cycle)
            remaining[cycle[1]].discard(cycle[0])
        else:
            return found


def test_the_graph_sees_function_level_relative_and_submodule_imports(tmp_path: Path) -> None:
    """The reader finds the imports that hide cycles, so a clean result below means something."""
    source = tmp_path / "questionnaire" / "web" / "views.py"
    source.parent.mkdir(parents=True)
    source.write_text("from . import clinics\nfrom ..engine import Engine\n\n"
                      "def start():\n    from .forms import form_class\n    import questionnaire.model\n"
                      "if TYPE_CHECKING:\n    from .views import bp\n",
                      encoding="utf-8")
    modules = {"questionnaire.web.clinics", "questionnaire.web.forms"}
    found = {target for target, _ in imported_names(module_name(source, tmp_path), source, modules)}
    assert found == {"questionnaire.web.clinics", "questionnaire.engine", "questionnaire.web.forms",
                     "questionnaire.model"}
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) != []
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycle_in_the_package() -> None:
    graph = import_graph()
    assert len(graph) > 40, "the package's modules were not found"
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(reversed(cycle)) for cycle in found)


@pytest.mark.parametrize("module", WEB_ONLY)
def test_flask_and_wtforms_only_in_the_web_layer(module: str) -> None:
    """The model, loader, engine and analysis run and test without an app."""
    outside = []
    for name, path in package_modules().items():
        if name == WEB or name.startswith(WEB + "."):
            continue
        for target, line in imported_names(name, path, ()):
            if target == module or target.startswith(module + "."):
                outside.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert not outside, "\n".join(sorted(set(outside)))


# The web layer's faces, lowest first: a module may import from its own face or a lower one only.
FACES = ("settings", "state", "http", "flow", "api", "staff", "cli")


def _face(module: str) -> str | None:
    rest = module.removeprefix(WEB + ".")
    return None if rest == module else rest.split(".")[0]


def test_the_web_faces_import_downwards_only() -> None:
    """state.py sits below every face; plumbing (http) knows nothing of the flow, the flow nothing of the API..."""
    upward = []
    for module, targets in import_graph().items():
        face = _face(module)
        if face is None:  # questionnaire.web itself wires every face together
            continue
        for target in targets:
            other = _face(target)
            if other is not None and FACES.index(other) > FACES.index(face):
                upward.append(f"{module} imports {target}")
    assert not upward, "\n".join(sorted(upward))
