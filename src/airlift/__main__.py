"""``python -m airlift`` runs the CLI."""

from airlift.cli import main

main()
