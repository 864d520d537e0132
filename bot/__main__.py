"""`python -m bot` runs the newsbot command line."""

from bot.cli.main import main

main()
