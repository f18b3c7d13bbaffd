"""One module per command (or family of commands); each registers itself on `app.app`."""
