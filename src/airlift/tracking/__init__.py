"""Execution tracking: what was actually flown, held against the plan.

``model`` holds the records every input becomes (``LegActual`` from crew reports, movement
messages, ADS-B and sightings); the readers and the comparison with the plan build on it.
"""
