"""Airspace: what a route flies over and what it needs before it may fly there.

``countries`` (the countries a path crosses, in order, with the distance flown in each) and
``clearances`` (the diplomatic overflight and landing clearances those countries require, and
by when to ask for them).
"""
