"""Formatters: turn query results and problems into text (table, json, csv, md, …)."""
