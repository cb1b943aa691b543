"""補助金・協働 screen: a funding round's applications, the score import, ranking and allocation
with each score's contribution, the letters and the public results list."""
