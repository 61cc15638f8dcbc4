"""The ``datagouvfr`` harvest source type: datasets of a udata instance.

Gather lists the source page by page and decides, for each listed dataset,
whether it is new or changed (a harvest object to fetch and import), unchanged
(an object recorded "not modified" at once, nothing written) or removed at
the source (an object that deletes the local dataset). Only a complete and
consistent listing can delete datasets that left it. Objects are written to
the database page by page and their ids are read back lazily, so the gather
holds one page in memory whatever the size of the source.

Identity is the udata id (the harvest object's ``guid`` and the dataset's
``guid`` field): a renamed dataset is updated in place.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import time
import uuid
from collections.abc import Iterator
from typing import Any, cast

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import (
    HarvestJob,
    HarvestObject,
    HarvestObjectError,
    HarvestObjectExtra,
    HarvestSource,
)

from ckanext.loiretcher import config as lc_config
from ckanext.loiretcher.datagouv import mapping
from ckanext.loiretcher.datagouv.client import (
    UdataClient,
    UdataError,
    UdataGoneError,
)
from ckanext.loiretcher.harvesters.source_config import (
    SourceConfig,
    parse_source_config,
)

__all__ = ["DatagouvfrHarvester"]

log = logging.getLogger(__name__)

SOURCE_TYPE = "datagouvfr"
FINGERPRINT = "loiretcher_fingerprint"
ACTION = "loiretcher_action"
DELETE = "delete"
# Fields the portal sets on a resource; kept when the file did not change.
_PORTAL_RESOURCE_FIELDS = (
    "validation_status", "validation_report", "validated_at", "datagouv_id",
)
_FILE_IDENTITY = ("url", "hash", "last_modified", "size")
_CHUNK = 500


def _(message: str) -> str:
    """``tk._`` when a request context exists (web, harvest CLI), else as is."""
    try:
        return tk._(message)
    except (RuntimeError, TypeError, KeyError, AttributeError):
        return message


@tk.blanket.config_declarations
class DatagouvfrHarvester(HarvesterBase):
    """Imports datasets from data.gouv.fr or any udata instance."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[tuple[Any, ...], UdataClient] = {}
        self._organizations: dict[tuple[str, str], tuple[float, str | None]] = {}

    def info(self) -> dict[str, str]:
        return {
            "name": SOURCE_TYPE,
            "title": "data.gouv.fr (udata)",
            "description": _(
                "Datasets of data.gouv.fr or another udata instance (give the "
                "root URL, e.g. https://www.data.gouv.fr)"
            ),
            "form_config_interface": "Text",
        }

    # -- configuration -------------------------------------------------------

    def validate_config(self, config: str | None) -> str:
        """Refuse a bad configuration with every problem; return it normalised."""
        parsed, errors = parse_source_config(config, _)
        if not errors:
            errors = _check_against_portal(parsed)
        if errors:
            raise ValueError(" ".join(errors))
        return parsed.to_json()

    def _source_config(self, source: HarvestSource) -> SourceConfig:
        parsed, errors = parse_source_config(source.config, _)
        if errors:
            raise _ConfigError(" ".join(errors))
        return parsed

    def _client(self, source: HarvestSource, config: SourceConfig) -> UdataClient:
        key = (source.url, config.timeout, config.max_retries,
               lc_config.harvest_backoff(), lc_config.harvest_max_retry_after())
        client = self._clients.get(key)
        if client is None:
            client = UdataClient(
                source.url, timeout=config.timeout, max_retries=config.max_retries,
                backoff=lc_config.harvest_backoff(),
                max_backoff=lc_config.harvest_max_backoff(),
                max_retry_after=lc_config.harvest_max_retry_after(),
            )
            self._clients[key] = client
        return client

    # -- gather ----------------------------------------------------------------

    def gather_stage(self, harvest_job: HarvestJob) -> list[str]:
        source = harvest_job.source
        try:
            config = self._source_config(source)
            client = self._client(source, config)
        except (_ConfigError, ValueError) as exc:
            self._save_gather_error(
                _("The source cannot be harvested: %(error)s") % {"error": exc},
                harvest_job,
            )
            return []
        gatherer = _Gatherer(harvest_job, source, config, _mapping_options(
            source, config
        ), _fingerprint_context(source, config))
        complete = True
        try:
            path, params = _listing(client, config)
            for page in client.iter_pages(path, params, config.page_size):
                gatherer.add_page(page.data)
        except UdataError as exc:
            complete = False
            self._save_gather_error(
                _("The listing of the source failed, so no dataset was deleted: "
                  "%(error)s") % {"error": exc.message(_)},
                harvest_job,
            )
        except Exception as exc:  # never leave the job half-gathered
            model.Session.rollback()
            log.exception("Gather of %s failed", source.url)
            complete = False
            self._save_gather_error(
                _("The listing of the source failed, so no dataset was deleted: "
                  "%(error)s") % {"error": repr(exc)},
                harvest_job,
            )
        if complete and gatherer.repeated:
            complete = False
            self._save_gather_error(
                _("The listing of the source gave %(count)s datasets more than "
                  "once (%(guids)s), so no dataset was deleted.")
                % {"count": gatherer.repeated,
                   "guids": ", ".join(gatherer.repeated_sample)},
                harvest_job,
            )
        if complete and config.remote_deletion == DELETE:
            gatherer.add_removals()
        log.info(
            "Gathered %s: %d to import, %d not modified, %d to delete",
            source.url, gatherer.to_fetch, gatherer.unchanged, gatherer.to_delete,
        )
        return _PendingObjectIds(harvest_job.id)

    # -- fetch -------------------------------------------------------------------

    def fetch_stage(self, harvest_object: HarvestObject) -> bool | str:
        try:
            if _extra(harvest_object, ACTION) == DELETE:
                return True
            record = json.loads(harvest_object.content or "null")
            if isinstance(record, dict) and isinstance(record.get("resources"), list):
                return True  # the listing gave the full record
            source = harvest_object.source
            config = self._source_config(source)
            full = self._client(source, config).dataset(harvest_object.guid)
            harvest_object.content = json.dumps(full, ensure_ascii=False)
            harvest_object.save()
            return True
        except UdataGoneError:
            return self._gone(harvest_object)
        except UdataError as exc:
            self._save_object_error(
                _("Could not fetch dataset %(guid)s: %(error)s")
                % {"guid": harvest_object.guid, "error": exc.message(_)},
                harvest_object, "Fetch",
            )
            return False
        except Exception as exc:
            model.Session.rollback()
            log.exception("Fetch of %s failed", harvest_object.guid)
            self._save_object_error(
                _("Could not fetch dataset %(guid)s: %(error)s")
                % {"guid": harvest_object.guid, "error": repr(exc)},
                harvest_object, "Fetch",
            )
            return False

    def _gone(self, harvest_object: HarvestObject) -> bool | str:
        """Deleted at the source between gather and fetch."""
        config = self._source_config(harvest_object.source)
        current = _current_object(harvest_object.harvest_source_id, harvest_object.guid)
        if current is None or config.remote_deletion != DELETE:
            return "unchanged"
        harvest_object.package_id = current.package_id
        harvest_object.extras.append(HarvestObjectExtra(key=ACTION, value=DELETE))
        harvest_object.save()
        return True

    # -- import ------------------------------------------------------------------

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        try:
            if _extra(harvest_object, ACTION) == DELETE:
                return self._delete(harvest_object)
            return self._import(harvest_object)
        except _ImportError as exc:
            model.Session.rollback()
            self._save_object_error(str(exc), harvest_object, "Import")
            return False
        except Exception as exc:  # an object never stays in IMPORT
            model.Session.rollback()
            log.exception("Import of %s failed", harvest_object.guid)
            self._save_object_error(
                _("Dataset %(guid)s could not be imported: %(error)s")
                % {"guid": harvest_object.guid, "error": repr(exc)},
                harvest_object, "Import",
            )
            return False

    def _import(self, harvest_object: HarvestObject) -> bool | str:
        source = harvest_object.source
        config = self._source_config(source)
        try:
            record = json.loads(harvest_object.content or "null")
        except ValueError as exc:
            raise _ImportError(
                _("Dataset %(guid)s: the record is not valid JSON (%(error)s).")
                % {"guid": harvest_object.guid, "error": exc}
            ) from None
        if mapping.is_removed_at_source(record):
            if config.remote_deletion != DELETE:
                return "unchanged"
            return self._delete(harvest_object)
        try:
            package = mapping.map_dataset(record, _mapping_options(source, config))
        except mapping.MappingError as exc:
            raise _ImportError(exc.message(_)) from None
        if package["guid"] != harvest_object.guid:
            raise _ImportError(
                _("Dataset %(guid)s: the source returned another dataset "
                  "(%(other)s).") % {"guid": harvest_object.guid,
                                     "other": package["guid"]}
            )
        digest = mapping.fingerprint(package, _fingerprint_context(source, config))
        current = _current_object(source.id, harvest_object.guid)
        existing = _existing_package(source.id, harvest_object.guid, current)
        if (
            current is not None and existing is not None
            and existing.state == "active"
            and _extra(current, FINGERPRINT) == digest
        ):
            return "unchanged"

        remote_org = mapping.remote_organization(record)
        package["owner_org"] = self._owner_org(source, config, remote_org)
        if package["type"] in mapping.SCDL_TYPES and remote_org is not None:
            siret = self._siret(source, config, remote_org["id"])
            if siret:
                package["publisher_siret"] = siret
        schema_fields = _dataset_schemas().get(package["type"])
        context = {
            "model": model, "session": model.Session,
            "user": self._get_user_name(), "ignore_auth": True,
            "return_id_only": True,
        }
        if existing is None:
            package["id"] = str(uuid.uuid4())
            package["name"] = self._ensure_name_is_unique(package["name"])
            if not package["name"]:
                raise _ImportError(
                    _("Dataset %(guid)s: no free name for it on this portal.")
                    % {"guid": harvest_object.guid}
                )
            _set_resource_ids(package, package["id"])
            action = "package_create"
        else:
            package["id"] = existing.id
            package["name"] = self._ensure_name_is_unique(
                package["name"], existing_name=existing.name
            ) or existing.name
            package["state"] = "active"
            previous = tk.get_action("package_show")(
                {"ignore_auth": True, "use_cache": False, "for_update": True},
                {"id": existing.id},
            )
            _keep_local_fields(package, previous)
            _set_resource_ids(package, existing.id)
            action = "package_update"
        fitted = mapping.fit_to_schema(package, schema_fields)

        # This object becomes the current one before the write, so that the
        # dataset is indexed with its harvest source (as ckanext-harvest does).
        model.Session.query(HarvestObject).filter(
            HarvestObject.harvest_source_id == source.id,
            HarvestObject.guid == harvest_object.guid,
            HarvestObject.current.is_(True),
        ).update({"current": False}, synchronize_session=False)
        harvest_object.package_id = fitted["id"]
        harvest_object.current = True
        _set_extra(harvest_object, FINGERPRINT, digest)
        harvest_object.add()
        model.Session.execute(
            sa.text("SET CONSTRAINTS harvest_object_package_id_fkey DEFERRED")
        )
        model.Session.flush()
        try:
            tk.get_action(action)(context, fitted)
        except tk.ValidationError as exc:
            raise _ImportError(
                _('Dataset "%(title)s" (%(guid)s) was refused by this portal: '
                  "%(errors)s") % {"title": package["title"],
                                   "guid": harvest_object.guid,
                                   "errors": _validation_summary(exc.error_dict)}
            ) from None
        model.Session.commit()
        return True

    def _delete(self, harvest_object: HarvestObject) -> bool:
        source_id = harvest_object.harvest_source_id
        current = _current_object(source_id, harvest_object.guid)
        package_id = harvest_object.package_id or (current and current.package_id)
        if package_id:
            package = model.Package.get(package_id)
            if package is not None and package.state != "deleted":
                tk.get_action("package_delete")(
                    {"model": model, "session": model.Session,
                     "user": self._get_user_name(), "ignore_auth": True},
                    {"id": package_id},
                )
        model.Session.query(HarvestObject).filter(
            HarvestObject.harvest_source_id == source_id,
            HarvestObject.guid == harvest_object.guid,
            HarvestObject.current.is_(True),
        ).update({"current": False}, synchronize_session=False)
        harvest_object.package_id = package_id
        harvest_object.current = False
        harvest_object.save()
        return True

    def _siret(
        self, source: HarvestSource, config: SourceConfig, org_id: str
    ) -> str | None:
        """The SIRET of a udata organization, asked once an hour at most."""
        key = (source.url, org_id)
        cached = self._organizations.get(key)
        if cached is None or time.monotonic() - cached[0] > 3600:
            try:
                details = self._client(source, config).organization(org_id)
            except UdataError as exc:
                log.warning("No SIRET for organization %s: %s", org_id, exc)
                details = {}
            cached = (time.monotonic(), mapping.organization_siret(details))
            self._organizations[key] = cached
        return cached[1]

    def _owner_org(
        self, source: HarvestSource, config: SourceConfig,
        remote: dict[str, str] | None,
    ) -> str | None:
        if remote is not None:
            for key in (remote["id"], remote["slug"]):
                if key in config.organization_mapping:
                    local = model.Group.get(config.organization_mapping[key])
                    if local is None or local.state != "active":
                        raise _ImportError(
                            _('The organization "%(name)s" of '
                              '"organization_mapping" does not exist.')
                            % {"name": config.organization_mapping[key]}
                        )
                    return local.id
        source_owner = _source_owner(source)
        if source_owner and not (config.create_organizations and remote):
            return source_owner
        if remote is None:
            return None
        name = mapping.dataset_name(remote["slug"], remote["name"], remote["id"])
        local = model.Group.get(name)
        if local is not None and local.is_organization and local.state == "active":
            return local.id
        created = tk.get_action("organization_create")(
            {"user": self._get_user_name(), "ignore_auth": True},
            {"name": name, "title": remote["name"]},
        )
        return cast(str, created["id"])


class _ConfigError(Exception):
    pass


class _ImportError(Exception):
    pass


class _Gatherer:
    """Writes the harvest objects of one job, one page at a time."""

    def __init__(
        self, job: HarvestJob, source: HarvestSource, config: SourceConfig,
        options: mapping.MappingOptions, context: Any,
    ) -> None:
        self.job_id = job.id
        self.source_id = source.id
        self.config = config
        self.options = options
        self.context = context
        self.to_fetch = self.unchanged = self.to_delete = self.repeated = 0
        self.repeated_sample: list[str] = []

    def add_page(self, records: list[Any]) -> None:
        guids = [
            r["id"] for r in records
            if isinstance(r, dict) and isinstance(r.get("id"), str)
        ]
        known = self._known(guids)
        already = self._already_gathered(guids)
        now = dt.datetime.utcnow()
        objects: list[dict[str, Any]] = []
        extras: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        seen: set[str] = set()
        for record in records:
            guid = record.get("id") if isinstance(record, dict) else None
            guid = guid if isinstance(guid, str) else ""
            if guid and (guid in already or guid in seen):
                self.repeated += 1
                if len(self.repeated_sample) < 5:
                    self.repeated_sample.append(guid)
                continue
            seen.add(guid)
            row = self._row(guid, now)
            mine = known.get(guid, {}).get("mine")
            theirs = known.get(guid, {}).get("theirs")
            if theirs is not None:
                row.update(state="ERROR", report_status="errored")
                errors.append({
                    "id": str(uuid.uuid4()), "harvest_object_id": row["id"],
                    "stage": "Import", "created": now,
                    "message": _(
                        'Dataset %(guid)s is already harvested by the source '
                        '"%(source)s"; it is not imported twice.'
                    ) % {"guid": guid, "source": theirs},
                })
            elif mapping.is_removed_at_source(record):
                if mine is None:
                    continue  # never imported here: nothing to remove
                row["package_id"] = mine["package_id"]
                if self.config.remote_deletion == DELETE and mine["active"]:
                    extras.append(_extra_row(row["id"], ACTION, DELETE))
                    self.to_delete += 1
                else:
                    self._not_modified(row, now)
            elif mine is not None and mine["active"] and mine["fingerprint"] == (
                self._digest(record)
            ):
                row["package_id"] = mine["package_id"]
                self._not_modified(row, now)
            else:
                row["content"] = json.dumps(record, ensure_ascii=False)
                self.to_fetch += 1
            objects.append(row)
        self._insert(objects, extras, errors)

    def add_removals(self) -> None:
        """Delete objects for the datasets that left the (complete) listing."""
        ho = HarvestObject.__table__
        gathered = sa.select(sa.literal(1)).where(
            sa.and_(
                sa.text("gathered_object.harvest_job_id = :job_id"),
                sa.text("gathered_object.guid = harvest_object.guid"),
            )
        ).select_from(sa.text("harvest_object AS gathered_object"))
        query = (
            sa.select(ho.c.guid, ho.c.package_id)
            .select_from(ho.join(
                model.package_table, model.package_table.c.id == ho.c.package_id
            ))
            .where(
                ho.c.harvest_source_id == self.source_id,
                ho.c.current.is_(True),
                model.package_table.c.state == "active",
                ~sa.exists(gathered),
            )
            .order_by(ho.c.guid)
        )
        now = dt.datetime.utcnow()
        result = model.Session.execute(query, {"job_id": self.job_id})
        while True:
            chunk = result.fetchmany(_CHUNK)
            if not chunk:
                break
            objects, extras = [], []
            for guid, package_id in chunk:
                row = self._row(guid, now)
                row["package_id"] = package_id
                objects.append(row)
                extras.append(_extra_row(row["id"], ACTION, DELETE))
            self.to_delete += len(objects)
            self._insert(objects, extras, [], commit=False)
        result.close()
        model.Session.commit()

    def _digest(self, record: dict[str, Any]) -> str | None:
        try:
            package = mapping.map_dataset(record, self.options)
        except mapping.MappingError:
            return None  # imported (and reported) by the import stage
        return mapping.fingerprint(package, self.context)

    def _row(self, guid: str, now: dt.datetime) -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()), "guid": guid, "current": False,
            "gathered": now, "fetch_started": None, "fetch_finished": None,
            "import_started": None, "import_finished": None,
            "content": None, "state": "WAITING", "report_status": None,
            "retry_times": 0, "harvest_job_id": self.job_id,
            "harvest_source_id": self.source_id, "package_id": None,
            "metadata_modified_date": None,
        }

    def _not_modified(self, row: dict[str, Any], now: dt.datetime) -> None:
        row.update(
            state="COMPLETE", report_status="not modified",
            fetch_started=now, fetch_finished=now,
            import_started=now, import_finished=now,
        )
        self.unchanged += 1

    def _known(self, guids: list[str]) -> dict[str, dict[str, Any]]:
        """What this portal holds for ``guids``: this source's current
        dataset (package, its state, the fingerprint of its last import), or
        the title of another source that harvests the same id."""
        if not guids:
            return {}
        ho = HarvestObject.__table__
        hoe = HarvestObjectExtra.__table__
        pkg = model.package_table
        hs = HarvestSource.__table__
        query = (
            sa.select(ho.c.guid, ho.c.harvest_source_id, ho.c.package_id,
                      pkg.c.state, hoe.c.value, hs.c.title, hs.c.url)
            .select_from(
                ho.outerjoin(pkg, pkg.c.id == ho.c.package_id)
                .outerjoin(hoe, sa.and_(hoe.c.harvest_object_id == ho.c.id,
                                        hoe.c.key == FINGERPRINT))
                .outerjoin(hs, hs.c.id == ho.c.harvest_source_id)
            )
            .where(ho.c.current.is_(True), ho.c.guid.in_(guids))
        )
        known: dict[str, dict[str, Any]] = {}
        for guid, source_id, package_id, state, value, title, url in (
            model.Session.execute(query)
        ):
            entry = known.setdefault(guid, {"mine": None, "theirs": None})
            if source_id == self.source_id:
                entry["mine"] = {
                    "package_id": package_id, "active": state == "active",
                    "fingerprint": value,
                }
            elif state == "active":
                entry["theirs"] = title or url
        return known

    def _already_gathered(self, guids: list[str]) -> set[str]:
        if not guids:
            return set()
        ho = HarvestObject.__table__
        query = sa.select(ho.c.guid).where(
            ho.c.harvest_job_id == self.job_id, ho.c.guid.in_(guids)
        )
        return {guid for (guid,) in model.Session.execute(query)}

    def _insert(
        self, objects: list[dict[str, Any]], extras: list[dict[str, Any]],
        errors: list[dict[str, Any]], commit: bool = True,
    ) -> None:
        if objects:
            model.Session.execute(HarvestObject.__table__.insert(), objects)
        if extras:
            model.Session.execute(HarvestObjectExtra.__table__.insert(), extras)
        if errors:
            model.Session.execute(HarvestObjectError.__table__.insert(), errors)
        if commit:
            model.Session.commit()


class _PendingObjectIds(list[str]):
    """The ids of a job's objects waiting to be fetched, read from the database
    in chunks: ckanext-harvest wants a list, the source may hold millions."""

    def __init__(self, job_id: str) -> None:
        super().__init__()
        self._job_id = job_id

    def _query(self) -> Any:
        return (
            model.Session.query(HarvestObject.id)
            .filter(HarvestObject.harvest_job_id == self._job_id,
                    HarvestObject.state == "WAITING")
            .order_by(HarvestObject.id)
        )

    def __len__(self) -> int:
        return int(self._query().order_by(None).count())

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[str]:
        last = ""
        while True:
            chunk = [
                row.id for row in
                self._query().filter(HarvestObject.id > last).limit(_CHUNK)
            ]
            yield from chunk
            if len(chunk) < _CHUNK:
                return
            last = chunk[-1]

    def __getitem__(self, index: Any) -> Any:
        size = len(self)
        if isinstance(index, slice):
            start, stop, step = index.indices(size)
            if stop <= start:
                return []
            rows = self._query().offset(start).limit(stop - start)
            return [row.id for row in rows][::step]
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(index)
        return self._query().offset(index).limit(1).one().id

    def __contains__(self, value: object) -> bool:
        return bool(self._query().filter(HarvestObject.id == value).count())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, list) and list(self) == list(other)

    __hash__ = None

    def __repr__(self) -> str:
        return f"<pending harvest objects of job {self._job_id}: {len(self)}>"


# -- helpers -----------------------------------------------------------------------


def _listing(client: UdataClient, config: SourceConfig) -> tuple[str, dict[str, Any]]:
    """The endpoint and filters that list the source's datasets."""
    if config.organization and not (config.q or config.tags):
        return f"/api/1/organizations/{config.organization}/datasets/", {}
    params: dict[str, Any] = {}
    if config.q:
        params["q"] = config.q
    if config.tags:
        params["tag"] = list(config.tags)
    if config.organization:
        # The search endpoint only filters on an organization id.
        params["organization"] = client.organization(config.organization)["id"]
    return "/api/1/datasets/", params


def _mapping_options(
    source: HarvestSource, config: SourceConfig
) -> mapping.MappingOptions:
    return mapping.MappingOptions(
        base_url=source.url,
        dataset_type_rules=config.dataset_type_rules,
        available_types=frozenset(_dataset_schemas()),
        themes=config.themes,
        groups=config.default_groups,
    )


def _fingerprint_context(source: HarvestSource, config: SourceConfig) -> Any:
    """What else decides how a dataset is written: a change rewrites them all."""
    return [
        _source_owner(source), sorted(config.organization_mapping.items()),
        config.create_organizations,
    ]


def _source_owner(source: HarvestSource) -> str | None:
    """The organization owning the harvest source (its dataset's owner)."""
    package = model.Package.get(source.id)
    return package.owner_org if package is not None else None


def _dataset_schemas() -> dict[str, set[str] | None]:
    """The dataset types of this portal and the fields of their schemas
    (``None`` when CKAN's default schema is used)."""
    types: dict[str, set[str] | None] = {"dataset": None}
    try:
        from ckanext.scheming.helpers import scheming_dataset_schemas
    except ImportError:  # pragma: no cover - scheming is a dependency
        return types
    for name, schema in (scheming_dataset_schemas() or {}).items():
        types[name] = {
            f["field_name"] for f in schema.get("dataset_fields", [])
        }
    return types


def _check_against_portal(config: SourceConfig) -> list[str]:
    errors = []
    types = _dataset_schemas()
    for schema, dataset_type in config.dataset_type_rules.items():
        if dataset_type not in types:
            errors.append(
                _('"dataset_type_rules": the dataset type "%(type)s" (for '
                  '%(schema)s) does not exist on this portal; the types are: '
                  '%(types)s.') % {"type": dataset_type, "schema": schema,
                                   "types": ", ".join(sorted(types))}
            )
    for name in config.default_groups:
        group = model.Group.get(name)
        if group is None or group.is_organization or group.state != "active":
            errors.append(
                _('"default_groups": the group "%(name)s" does not exist.')
                % {"name": name}
            )
    for local in sorted(set(config.organization_mapping.values())):
        org = model.Group.get(local)
        if org is None or not org.is_organization or org.state != "active":
            errors.append(
                _('"organization_mapping": the organization "%(name)s" does not '
                  "exist on this portal.") % {"name": local}
            )
    return errors


def _current_object(source_id: str, guid: str) -> HarvestObject | None:
    return cast(HarvestObject | None, (
        model.Session.query(HarvestObject)
        .filter(HarvestObject.harvest_source_id == source_id,
                HarvestObject.guid == guid,
                HarvestObject.current.is_(True))
        .order_by(HarvestObject.import_finished.desc().nullslast())
        .first()
    ))


def _existing_package(
    source_id: str, guid: str, current: HarvestObject | None
) -> model.Package | None:
    """The local dataset of ``guid``: the current one, or the last one this
    source imported (deleted since, e.g. when it left the source)."""
    if current is not None and current.package_id:
        package = model.Package.get(current.package_id)
        if package is not None:
            return package
    row = (
        model.Session.query(HarvestObject.package_id)
        .filter(HarvestObject.harvest_source_id == source_id,
                HarvestObject.guid == guid,
                HarvestObject.package_id.isnot(None))
        .order_by(HarvestObject.gathered.desc())
        .first()
    )
    return model.Package.get(row.package_id) if row else None


def _extra(harvest_object: HarvestObject, key: str) -> str | None:
    for extra in harvest_object.extras:
        if extra.key == key:
            return cast(str, extra.value)
    return None


def _set_extra(harvest_object: HarvestObject, key: str, value: str) -> None:
    for extra in harvest_object.extras:
        if extra.key == key:
            extra.value = value
            return
    harvest_object.extras.append(HarvestObjectExtra(key=key, value=value))


def _extra_row(object_id: str, key: str, value: str) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "harvest_object_id": object_id,
            "key": key, "value": value}


def _set_resource_ids(package: dict[str, Any], package_id: str) -> None:
    """Stable local resource ids derived from the udata ones, so that an
    update changes resources in place."""
    for resource in package.get("resources", []):
        remote = resource.pop("id", None)
        if remote:
            resource["id"] = str(uuid.uuid5(uuid.UUID(package_id), remote))


def _keep_local_fields(package: dict[str, Any], previous: dict[str, Any]) -> None:
    """Carry over what the portal set itself (file validation results of an
    unchanged file, ckanext-harvest's ``not_overwrite_fields``)."""
    for name in tk.aslist(tk.config.get("ckan.harvest.not_overwrite_fields")):
        if name in previous:
            package[name] = previous[name]
    old = {r.get("id"): r for r in previous.get("resources", [])}
    package_id = previous["id"]
    for resource in package.get("resources", []):
        remote = resource.get("id")
        if not remote:
            continue
        before = old.get(str(uuid.uuid5(uuid.UUID(package_id), remote)))
        if before is None:
            continue
        if all(_same(before.get(k), resource.get(k)) for k in _FILE_IDENTITY):
            for key in _PORTAL_RESOURCE_FIELDS:
                if before.get(key) not in (None, ""):
                    resource[key] = before[key]


def _same(before: Any, after: Any) -> bool:
    if before in (None, "") and after in (None, ""):
        return True
    return str(before) == str(after)


def _validation_summary(error_dict: dict[str, Any]) -> str:
    parts: list[str] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, nested in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), nested)
        elif isinstance(value, list) and value and all(
            isinstance(v, str) for v in value
        ):
            parts.append(f"{prefix}: {' '.join(value)}")
        elif isinstance(value, list):
            for index, nested in enumerate(value):
                if nested:
                    walk(f"{prefix}[{index + 1}]", nested)
        elif value:
            parts.append(f"{prefix}: {value}")

    walk("", error_dict)
    return "; ".join(parts)
