"""What-if studies: many schedule runs over factor levels, on Dask, summarised in a report.

``load_study`` (study.py) reads and checks a study file; ``design.runs`` lists its runs;
``apply.apply_levels`` makes a run's inputs; ``run.run_one`` schedules one run into a row;
``runner.run_study`` runs them all (serially or on a Dask cluster) into ``results.parquet``
and ``report.html`` (report.py).
"""

from airlift.studies.runner import StudyOutcome, StudyProgress, run_study
from airlift.studies.study import Study, demo_study_path, load_study

__all__ = ["Study", "StudyOutcome", "StudyProgress", "demo_study_path", "load_study", "run_study"]
