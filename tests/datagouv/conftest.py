"""Fixtures of the datagouv tests: the fake udata instance."""
from tests.fakes.udata import fake_udata

__all__ = ["fake_udata"]
