"""Schedule runs solved in worker processes: ``worker`` runs in each of them, ``supervisor``
in the server that starts and stops them. Not web code: the web routes only queue, read and
cancel run rows (``store/runs.py``)."""
