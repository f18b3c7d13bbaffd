"""Recording progress: an entry checked against the plan and spliced into plan.yaml's text."""
