"""kpzf: query, check and maintain a government work plan's task ledger (任务台账, plan.yaml)."""

__version__ = "0.1.0"
