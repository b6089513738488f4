"""One module per ``clientgen`` command, each with a ``run(args)`` returning the exit status.

``generator.cli`` parses the command line, dispatches here and turns errors into
messages and exit statuses; ``common`` holds what several commands share.
"""
