"""Fleet scheduling: movement requests and a fleet become a multi-day flying programme.

inputs      requests, fleet tails, scenario (data)
fields      one field list per input: domain, file and database names
values      raw values -> checked field values (FieldError naming the field)
readers     CSV / JSON / TOML readers with file, row and field in every error
problem     the generic pickup-and-delivery problem engines solve
engines/    PyVRP (default) and OR-Tools (baseline)
model       airlift inputs -> generic problem (lifts, profiles per type, tail-days)
programme   the result: missions per tail per day, request status, KPIs
scheduler   solve, decode, re-check every mission with the mission planner, repair, explain
lilim       Li & Lim PDPTW reader and independent checker (benchmark)
"""
