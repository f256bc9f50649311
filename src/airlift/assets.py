"""Where the npm-installed assets live (``node_modules``), for the web pages and the library.

Third-party data files that ship through npm (Leaflet, TopoJSON client, the Natural Earth
borders of ``world-atlas``) are installed by ``npm ci`` into the repository's
``node_modules``; nothing is fetched at run time. ``AIRLIFT_NODE_MODULES`` points elsewhere
(an installed wheel has no repository; a git worktree shares the main checkout's).
"""

from __future__ import annotations

import os
from pathlib import Path

from airlift.errors import DataFileError

NODE_MODULES = Path(
    os.environ.get("AIRLIFT_NODE_MODULES") or Path(__file__).resolve().parents[2] / "node_modules"
)
"""The repository's ``node_modules`` (src/airlift -> repo root), or ``AIRLIFT_NODE_MODULES``."""


def node_asset(relative: str) -> Path:
    """The path of an npm-installed file (``world-atlas/countries-50m.json``).

    Raises DataFileError, saying how to install it, when the file is missing."""
    path = NODE_MODULES / relative
    if not path.is_file():
        raise DataFileError(
            f"{path} is missing: run `npm install` (or `make install`) in the repository, "
            "or set AIRLIFT_NODE_MODULES to a node_modules folder that holds it"
        )
    return path
