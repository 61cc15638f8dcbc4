"""Kept for tools that still call setup.py; metadata lives in pyproject.toml."""
from setuptools import setup

setup(
    message_extractors={
        "ckanext": [
            ("**.py", "python", None),
            ("**.js", "javascript", None),
            ("**/templates/**.html", "ckan", None),
            ("**/scdl_templates/**.html", "ckan", None),
        ],
    },
)
