"""Reading and writing files: locating the plan, YAML with positions, atomic writes and locks, git revisions."""
