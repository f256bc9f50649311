"""The web app and REST API: ``create_app`` in :mod:`airlift.web.app`, run by ``airlift serve``.

The API holds no planning logic: routes validate input, call the library and the store
repositories, and turn :class:`~airlift.errors.AirliftError` into 4xx answers.
"""
