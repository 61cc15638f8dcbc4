"""The ``datagouvfr`` harvest source type: datasets of a udata instance."""
from __future__ import annotations

from typing import Any

from ckanext.harvest.harvesters.base import HarvesterBase


class DatagouvfrHarvester(HarvesterBase):
    """Imports datasets from data.gouv.fr or any udata instance."""

    def info(self) -> dict[str, str]:
        return {
            "name": "datagouvfr",
            "title": "data.gouv.fr (udata)",
            "description": "Datasets of a udata instance such as www.data.gouv.fr",
        }

    def gather_stage(self, harvest_job: Any) -> list[str]:
        raise NotImplementedError

    def fetch_stage(self, harvest_object: Any) -> bool:
        raise NotImplementedError

    def import_stage(self, harvest_object: Any) -> bool:
        raise NotImplementedError
