"""airlift: plans and schedules airlift in austere theatres.

The domain is data (airfields, aircraft types, missions), the planners are functions, the
result is data. Units are carried in names: kg, NM, kt, ft, m (runways), min, °C, UTC.
"""

__version__ = "0.1.0"
