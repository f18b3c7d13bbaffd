"""The command line: the Typer app, its commands (parse → call → render → exit) and the error handler."""
