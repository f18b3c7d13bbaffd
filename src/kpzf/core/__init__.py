"""Pure answers over a loaded plan: queries, the 台账, calendar events, plan differences (no I/O, no clock)."""
