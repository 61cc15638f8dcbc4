"""Harvesters of the portal."""
from ckanext.loiretcher.harvesters.datagouv import DatagouvfrHarvester

__all__ = ["DatagouvfrHarvester"]
