"""The plan as data: the schema, the unit registry, deadlines, resolved measures and the progress log."""
