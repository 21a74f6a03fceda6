"""Fail when a function in service/ is over 40 lines or over cyclomatic complexity 15 (as radon
measures them), unless its docstring says why in a line that begins "Why it is long:"."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from radon.complexity import cc_visit
from radon.visitors import Function

MAX_LINES = 40
MAX_COMPLEXITY = 15
EXCUSE = "Why it is long:"


def _docstrings(tree: ast.Module) -> dict[int, str]:
    """Each function's docstring, by the line its `def` is on."""
    return {
        node.lineno: ast.get_docstring(node) or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def _functions(blocks: list[object]) -> list[Function]:
    found = []
    for block in blocks:
        if isinstance(block, Function):
            found.append(block)
        found.extend(_functions(list(getattr(block, "methods", [])) + list(getattr(block, "closures", []))))
    return found


def violations(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        source = path.read_text()
        docstrings = _docstrings(ast.parse(source))
        for function in _functions(cc_visit(source)):
            lines = function.endline - function.lineno + 1
            if lines <= MAX_LINES and function.complexity <= MAX_COMPLEXITY:
                continue
            docstring = docstrings.get(function.lineno, "")
            if any(line.strip().startswith(EXCUSE) for line in docstring.splitlines()):
                continue
            measured = f"{lines} lines, complexity {function.complexity}"
            found.append(f"{path}:{function.lineno} {function.fullname}: {measured}")
    return found


if __name__ == "__main__":
    problems = violations(Path(sys.argv[1] if len(sys.argv) > 1 else "service"))
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"{len(problems)} functions over {MAX_LINES} lines or complexity {MAX_COMPLEXITY}: split "
            f"them, or say why in their docstring on a line that begins '{EXCUSE}'."
        )
    sys.exit(1 if problems else 0)
