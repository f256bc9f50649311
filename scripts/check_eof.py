"""pre-commit hook: every text file ends with exactly one newline (prints the offenders)."""

import sys
from pathlib import Path

bad = []
for name in sys.argv[1:]:
    data = Path(name).read_bytes()
    if data and (not data.endswith(b"\n") or data.endswith(b"\n\n")):
        bad.append(name)
for name in bad:
    print(f"{name}: must end with exactly one newline")  # noqa: T201
sys.exit(1 if bad else 0)
