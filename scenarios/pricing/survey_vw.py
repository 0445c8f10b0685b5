#!/usr/bin/env python3
"""Writes survey_vw.csv: a made-up Van Westendorp survey of 200 prospective
users of a writing assistant priced around $10-$30 a month, kept in the
repository as the example of `tokensim survey` (docs/pricing.md).

Each respondent has a latent willingness to pay v, lognormal with median
$19 and log-sd 0.3; its four answers are v times a factor drawn from its
own band (too cheap 0.35-0.55, cheap 0.60-0.85, expensive 0.95-1.20, too
expensive 1.25-1.60), rounded to whole dollars as people answer, so every
row is ordered too_cheap <= cheap <= expensive <= too_expensive. Run once;
the seed makes the file the same every time:  python3 survey_vw.py > survey_vw.csv
"""
import math
import random

rng = random.Random(20261125)
bands = [(0.35, 0.55), (0.60, 0.85), (0.95, 1.20), (1.25, 1.60)]
print("respondent,too_cheap,cheap,expensive,too_expensive")
for i in range(1, 201):
    v = 19 * math.exp(0.3 * rng.gauss(0, 1))
    answers = [max(1, round(v * rng.uniform(lo, hi))) for lo, hi in bands]
    print(f"{i},{','.join(str(a) for a in answers)}")
