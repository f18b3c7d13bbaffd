"""kpzf: query, check and maintain the 开平市提升行政执法质量三年行动 task ledger (plan.yaml)."""

__version__ = "0.1.0"
