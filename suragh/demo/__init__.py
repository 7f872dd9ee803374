"""Synthetic demo data: a deterministic national dataset whose 2022 and 2023 totals per force equal the figures
published in seed 000 (see docs/demo-data.md)."""
