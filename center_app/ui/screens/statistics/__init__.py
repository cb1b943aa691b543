"""集計: monthly and fiscal-year usage summaries, charts and exports (view / controller / model)."""
