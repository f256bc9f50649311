"""The web app and REST API: ``create_app`` in :mod:`airlift.web.app`, run by ``airlift serve``.

The API holds no planning logic and no queries: routes validate input, call the library and
:mod:`airlift.store`, and turn :class:`~airlift.errors.AirliftError` into 4xx answers.
"""
