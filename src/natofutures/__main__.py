"""``python -m natofutures`` runs the CLI."""

from natofutures.cli import main

main()
