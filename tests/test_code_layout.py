"""The code's layout: no playground module imports itself through others, counting imports
made only for type checking (a cycle means two parts that cannot be understood one without
the other), and none is longer than a newcomer can hold in mind. The import contracts
(which folder may import which) are pyproject.toml's, checked by `lint-imports`."""

from __future__ import annotations

from pathlib import Path

import grimp

import playground

MAX_MODULE_LINES = 350  # (the cap is 400; 350 leaves every module room to grow)


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root) & modules)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    imported = graph.find_modules_directly_imported_by(child) & modules
                    work.append((child, iter(sorted(imported))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_of_playground_imports_itself_through_others():
    graph = grimp.build_graph("playground")
    cycles = _cycles(graph, set(graph.modules))
    assert cycles == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("a", "a.b", "a.c", "a.d"):
        graph.add_module(name)
    graph.add_import(importer="a.b", imported="a.c")
    graph.add_import(importer="a.c", imported="a.b")
    graph.add_import(importer="a.c", imported="a.d")
    assert _cycles(graph, {"a.b", "a.c", "a.d"}) == [["a.b", "a.c"]]


def test_no_module_is_over_350_lines():
    root = Path(playground.__file__).parent
    long = {
        str(path.relative_to(root)): n
        for path in root.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def _ui_sources() -> dict[str, str]:
    root = Path(playground.__file__).parent / "ui"
    return {
        str(path.relative_to(root)): path.read_text(encoding="utf-8") for path in root.rglob("*.py")
    }


def test_jobs_are_submitted_only_by_the_state_and_worker_layers():
    """Panels and the window ask the Session (or a view it owns); only ui/state and
    ui/worker hand jobs to the runner or build them."""
    outside = {
        name: [line.strip() for line in text.splitlines() if "submit(" in line or "Job(" in line]
        for name, text in _ui_sources().items()
        if not name.startswith(("state/", "worker/"))
    }
    assert {name: lines for name, lines in outside.items() if lines} == {}


def test_every_lane_is_declared_in_the_jobs_module():
    """A lane is a name of ui/worker/jobs.py: no job is made with a lane spelled elsewhere."""
    import ast

    from playground.ui.worker import jobs

    declared = {
        name for name, value in vars(jobs).items() if name.isupper() and isinstance(value, str)
    }
    for name, text in _ui_sources().items():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Job":
                lane = node.args[0] if node.args else None
                assert isinstance(lane, ast.Name), f"{name}: a Job's lane must be a jobs.py name"
                assert lane.id in declared or lane.id == "lane", f"{name}: lane {lane.id}"
        assert "_LANE = " not in text or name == "worker/jobs.py", name
