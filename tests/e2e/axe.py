"""axe-core (npm's `axe-core`, package.json) run inside a Playwright page.

The site's CSP (script-src 'self') refuses an inline <script>, which is what
page.add_script_tag(path=...) inserts; page.evaluate runs through the DevTools protocol, which
the page's CSP does not govern, so axe's source is evaluated that way. A context with
bypass_csp=True would work too, but would also hide the CSP errors these journeys look for.

Without node_modules/axe-core the journeys skip, unless REQUIRE_HTML_CHECKER=1 (CI), the same
rule as tests/html_checker.py.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.impact} {self.rule} ({self.help}): {', '.join(self.targets[:5])}"


def missing() -> str:
    """Why axe cannot run here ("" when it can)."""
    if not AXE_JS.is_file():
        return f"{AXE_JS.relative_to(REPO)} is missing (run npm install)"
    return ""


def require() -> None:
    """Skip the test without axe-core; fail instead when CI requires the checkers."""
    reason = missing()
    if reason:
        if os.environ.get("REQUIRE_HTML_CHECKER") == "1":
            pytest.fail(f"REQUIRE_HTML_CHECKER=1 but axe-core cannot run: {reason}")
        pytest.skip(reason)


def serious_violations(page) -> list[Violation]:
    """axe's violations of impact serious or critical on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " targets: v.nodes.map(n => n.target.join(' '))})))"
    )
    return [
        Violation(v["id"], v["impact"], v["help"], tuple(v["targets"]))
        for v in results
        if v["impact"] in SERIOUS
    ]
