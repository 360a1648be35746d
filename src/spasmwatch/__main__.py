"""``python -m spasmwatch``: the command line."""

from spasmwatch.cli import main

main()
