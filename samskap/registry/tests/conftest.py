"""The browser fixtures (``browser``, ``page``) live in ``samskap/conftest.py``."""
