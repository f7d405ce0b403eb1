"""The patient's flow: start, one page per step, advice as soon as a sign is reported, results, clinic links."""
