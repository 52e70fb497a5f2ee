"""The layout in docs/architecture.md, kept: each package imports only the ones below it, no
function-local import without a reason, no module a newcomer cannot read in one sitting, and
only claims/text.py marks text safe. Plain source parsing: no Django, no database."""

import ast
import io
import re
import tokenize
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# What each package may import of ours (itself always). Lowest layer first; config is the
# project and may import anything.
LAYERS = {
    "scoring": set(),
    "core": set(),
    "jobs": {"core"},
    "studies": {"core", "jobs", "scoring"},
    "claims": {"core", "jobs", "scoring", "studies"},
    "flags": {"claims", "core", "jobs", "scoring", "studies"},
    "suggestions": {"claims", "core", "jobs", "scoring", "studies"},
    "discussion": {"claims", "core", "flags", "jobs", "scoring", "studies"},
    "community": {
        "claims",
        "core",
        "discussion",
        "flags",
        "jobs",
        "scoring",
        "studies",
        "suggestions",
    },
    "api": {"claims", "core", "jobs", "scoring", "studies"},
    "accounts": {"core"},
    "config": {
        "accounts",
        "api",
        "claims",
        "community",
        "core",
        "discussion",
        "flags",
        "jobs",
        "scoring",
        "studies",
        "suggestions",
    },
}
OURS = set(LAYERS) | {"bench", "tests"}
MAX_LINES = 400
MARKS_SAFE = {"mark_safe", "SafeString"}
SAFE_FILTER = re.compile(r"\|\s*safe\b")
SAFE_MODULE = "claims/text.py"
# JSON-LD <script>s: claims (ClaimReview) and studies (ScholarlyArticle) both publish it.
JSONLD_MODULE = "core/jsonld.py"


def modules():
    """Every module of the packages above, migrations left out (they are history)."""
    return sorted(
        path
        for package in LAYERS
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    )


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported(node: ast.AST) -> list[str]:
    """The absolute module names an import statement names ([] for a relative import)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    return []


def imports(path: Path):
    for node in ast.walk(tree(path)):
        for module in imported(node):
            yield node.lineno, module


def test_it_imports_only_lower_layers():
    wrong = []
    for path in modules():
        package = path.relative_to(ROOT).parts[0]
        allowed = LAYERS[package] | {package}
        for line, module in imports(path):
            top = module.split(".")[0]
            if top in OURS and top not in allowed:
                wrong.append(f"{name(path)}:{line} imports {top}")
    assert wrong == [], "imports against the layering (docs/architecture.md):\n" + "\n".join(wrong)


def test_it_keeps_scoring_free_of_django():
    wrong = [
        f"{name(path)}:{line} imports {module}"
        for path in (ROOT / "scoring").rglob("*.py")
        for line, module in imports(path)
        if module.split(".")[0] == "django"
    ]
    assert wrong == [], "scoring is pure Python:\n" + "\n".join(wrong)


def comment_lines(path: Path) -> set[int]:
    source = path.read_text(encoding="utf-8")
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {token.start[0] for token in tokens if token.type == tokenize.COMMENT}


def local_imports(path: Path):
    """(function, import) for every import inside a function body."""
    for function in ast.walk(tree(path)):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    yield function, node


def test_it_says_why_an_import_is_inside_a_function():
    """A function-local import hides a dependency; one that must stay (an app registry not yet
    ready, a cycle) says why on its line or the line above, inside the function."""
    wrong = []
    for path in modules():
        comments = comment_lines(path)
        for function, node in local_imports(path):
            reason = {node.lineno, node.lineno - 1} if node.lineno - 1 > function.lineno else set()
            reason.add(node.lineno)
            if not reason & comments:
                wrong.append(f"{name(path)}:{node.lineno} imports inside {function.name}()")
    assert wrong == [], "function-local imports without a comment saying why:\n" + "\n".join(
        sorted(set(wrong))
    )


def test_it_keeps_every_module_under_400_lines():
    long = [
        f"{name(path)}: {lines} lines"
        for path in modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert long == [], f"modules over {MAX_LINES} lines (split by job):\n" + "\n".join(long)


def marks_safe(node: ast.AST) -> str | None:
    """What marks text safe at this node: a use or import of MARKS_SAFE, or a `|safe` filter in
    a string (a template in Python)."""
    if isinstance(node, ast.Name) and node.id in MARKS_SAFE:
        return node.id
    if isinstance(node, ast.Attribute) and node.attr in MARKS_SAFE:
        return node.attr
    if isinstance(node, ast.alias) and node.name.split(".")[-1] in MARKS_SAFE:
        return node.name
    if isinstance(node, ast.Constant) and SAFE_FILTER.search(str(node.value)):
        return "|safe"
    return None


def test_it_marks_text_safe_only_in_claims_text():
    """One place turns text into HTML unescaped (conventions.md): anything else, a `|safe` in a
    template included, is a bug."""
    marking = []
    for path in [*modules(), *(ROOT / "bench").rglob("*.py")]:
        for node in ast.walk(tree(path)):
            used = marks_safe(node)
            if used and name(path) not in (SAFE_MODULE, JSONLD_MODULE):
                marking.append(f"{name(path)}:{node.lineno} uses {used}")
    for path in sorted((ROOT / "templates").rglob("*.*")):
        for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SAFE_FILTER.search(text):
                marking.append(f"{name(path)}:{line} uses |safe")
    assert marking == [], f"only {SAFE_MODULE} marks text safe:\n" + "\n".join(marking)
    assert any(
        isinstance(node, ast.Name) and node.id == "mark_safe"
        for node in ast.walk(tree(ROOT / SAFE_MODULE))
    ), f"{SAFE_MODULE} should be the one place that calls mark_safe"
