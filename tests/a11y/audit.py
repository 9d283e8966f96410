"""Running axe-core on a page and reporting what it finds.

axe-core comes from the ``axe-playwright-python`` package (pinned in pyproject.toml's dev
dependencies), which ships ``axe.min.js`` inside the wheel; ``make setup`` installs it, so CI
needs nothing else. The script is evaluated in the page through Playwright, which is not
subject to the page's Content-Security-Policy, so the audited page keeps its real headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices (landmarks, headings, regions...).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = {"serious", "critical"}

_axe = Axe()


@dataclass
class Findings:
    """Serious and critical violations collected over several pages, reported together."""

    lines: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def check(self, page, name: str) -> None:
        """Audit the page as it is now (after scripts ran) under the label ``name``."""
        page.wait_for_load_state("load")
        results = _axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
        self.pages.append(name)
        for violation in results.response["violations"]:
            if violation["impact"] not in BLOCKING:
                continue
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            self.lines.append(
                f"{name}: {violation['id']} ({violation['impact']}) {violation['help']}"
                f" -> {targets}"
            )

    def assert_clean(self) -> None:
        assert not self.lines, "axe-core found serious or critical violations:\n" + "\n".join(
            self.lines
        )
