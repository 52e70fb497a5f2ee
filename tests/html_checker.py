"""The Nu Html Checker (the W3C validator, `vnu-jar` from npm) run over rendered pages.

Java takes a couple of seconds to start, so the checker runs once over a whole directory of
.html files and its messages are grouped per file. Only errors are asked for: warnings (for
instance a redundant role) do not make a page invalid.
"""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

REPO = Path(__file__).resolve().parent.parent
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Message:
    line: int | None
    text: str

    def __str__(self) -> str:
        return f"{self.line if self.line is not None else '?'}: {self.text}"


def missing() -> str:
    """Why the checker cannot run here ("" when it can)."""
    if shutil.which("java") is None:
        return "java is not on PATH (apt-get install default-jre-headless)"
    if not VNU_JAR.is_file():
        return f"{VNU_JAR.relative_to(REPO)} is missing (run npm install)"
    return ""


def check_directory(directory: Path) -> dict[str, list[Message]]:
    """Every .html file in `directory` (by name) with its errors: an empty list when valid."""
    files = sorted(directory.glob("*.html"))
    if not files:
        return {}
    command = ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--errors-only"]
    result = subprocess.run(
        [*command, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    # Exit status 1 only says some file has an error; anything but JSON is the checker failing.
    try:
        messages = json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError) as error:
        raise RuntimeError(f"vnu.jar gave no JSON ({error}): {result.stderr[-2000:]}") from None
    found = {path.name: [] for path in files}
    for message in messages:
        # "error" and "non-document-error" (a file it could not read) both count.
        name = Path(unquote(urlparse(message.get("url", "")).path)).name
        line = message.get("lastLine", message.get("firstLine"))
        found.setdefault(name, []).append(Message(line, message.get("message", str(message))))
    return found
