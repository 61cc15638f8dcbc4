"""Publishes the portal's own datasets to data.gouv.fr through its write API.

One run plans, then (unless it is a dry run) applies, per dataset: ``create``,
``update``, ``delete`` (or archive) or ``unchanged``. A run is idempotent and
converges after an interruption: the data.gouv.fr id is stored on the local
dataset (``datagouv_id``) as soon as it is known, and every published record
carries the CKAN id in its extras, so a record whose id was never stored is
found again instead of created twice.

The API key only ever goes to :class:`UdataClient`; every message of a report
is also scrubbed of it, whatever the remote side echoes back.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search

from ckanext.loiretcher import config
from ckanext.loiretcher.datagouv import publish_mapping as pm
from ckanext.loiretcher.datagouv.client import (
    UdataAuthError,
    UdataClient,
    UdataError,
    UdataGoneError,
    UdataNotFoundError,
    UdataValidationError,
)

__all__ = [
    "CREATE",
    "DELETE",
    "SKIP",
    "UNCHANGED",
    "UPDATE",
    "Outcome",
    "PublishConfigError",
    "Publisher",
    "Report",
    "enqueue_publication",
    "from_config",
    "publish_dataset_job",
]

log = logging.getLogger(__name__)

CREATE, UPDATE, DELETE, UNCHANGED, SKIP = (
    "create", "update", "delete", "unchanged", "skip"
)
HARVEST_TYPE = "harvest"


class PublishConfigError(Exception):
    """The publisher cannot run as configured; the message says what to set."""


@dataclass
class Outcome:
    """What happens (or would happen) to one dataset."""

    action: str
    name: str
    dataset_id: str
    remote_id: str | None = None
    details: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class Report:
    """The plan of a dry run, or what a run did."""

    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)
    fatal: str | None = None

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error]

    @property
    def ok(self) -> bool:
        return self.fatal is None and not self.failed

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action and not o.error)

    def lines(self) -> list[str]:
        """The report as text, one line per dataset, then a summary."""
        labels = {
            CREATE: tk._("create"), UPDATE: tk._("update"),
            DELETE: tk._("delete"), UNCHANGED: tk._("unchanged"),
            SKIP: tk._("skip"),
        }
        # Columns as wide as the longest label in the reader's language.
        width = max(len(label) for label in labels.values())
        lines = [
            tk._("Dry run: nothing is changed, here or on data.gouv.fr.")
        ] if self.dry_run else []
        for outcome in self.outcomes:
            text = f"{labels[outcome.action]:<{width}} {outcome.name}"
            if outcome.remote_id:
                text += f" -> {outcome.remote_id}"
            if outcome.details:
                text += f" ({', '.join(outcome.details)})"
            if outcome.error:
                text += "\n" + tk._("    failed: {error}").format(error=outcome.error)
            lines.append(text)
        if self.fatal:
            lines.append(self.fatal)
        lines.append(
            tk._(
                "{create} to create, {update} to update, {delete} to delete, "
                "{unchanged} unchanged, {skip} skipped, {failed} failed."
            ).format(
                create=self.count(CREATE), update=self.count(UPDATE),
                delete=self.count(DELETE), unchanged=self.count(UNCHANGED),
                skip=self.count(SKIP), failed=len(self.failed),
            )
        )
        return lines


@dataclass
class _Local:
    """A local dataset (``package`` None when it no longer exists here)."""

    ident: str
    package: dict[str, Any] | None


class _StopError(Exception):
    """401/403: nothing else is attempted."""


class Publisher:
    """Pushes datasets to one organization of a udata instance.

    :param client: the instance's client, carrying the API key.
    :param organization: id of the organization publishing there.
    :param deletion: ``delete`` or ``archive`` remote copies of datasets that
        are deleted, private or draft here.
    :param publish_harvested: also publish datasets harvested from elsewhere.
    :param site_url: root of the portal, for links back to its pages.
    """

    def __init__(
        self,
        client: UdataClient,
        organization: str,
        *,
        deletion: str = "delete",
        publish_harvested: bool = False,
        site_url: str = "",
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
    ) -> None:
        if deletion not in ("delete", "archive"):
            raise PublishConfigError(
                tk._("Unknown deletion mode {mode}: use delete or archive.").format(
                    mode=deletion
                )
            )
        self.client = client
        self.options = pm.PublishOptions(organization=organization, site_url=site_url)
        self.deletion = deletion
        self.publish_harvested = publish_harvested
        self._now = now
        self._index: dict[str, dict[str, Any]] | None = None

    # -- the run ------------------------------------------------------------------

    def run(self, datasets: Sequence[str] = (), dry_run: bool = False) -> Report:
        """Publish ``datasets`` (names or ids; every dataset when empty)."""
        report = Report(dry_run=dry_run)
        if not dry_run and not self.client.api_key:
            raise PublishConfigError(
                tk._(
                    "No data.gouv.fr API key: set ckanext.loiretcher.datagouv."
                    "api_key or the {env} environment variable."
                ).format(env=config.DATAGOUV_API_KEY_ENV)
            )
        try:
            for local in self._locals(datasets):
                report.outcomes.append(self._one(local, dry_run))
            if not datasets:
                for orphan in self._orphans():
                    report.outcomes.append(self._one(orphan, dry_run))
        except _StopError as stop:
            report.fatal = self._scrub(str(stop))
        except UdataError as error:
            # Reading the organization's datasets failed: nothing can be planned.
            report.fatal = self._scrub(
                tk._("data.gouv.fr could not be read: {error}").format(
                    error=error.message(tk._)
                )
            )
        for outcome in report.outcomes:
            if outcome.error:
                outcome.error = self._scrub(outcome.error)
        return report

    def _locals(self, datasets: Sequence[str]) -> Iterable[_Local]:
        if datasets:
            for ident in datasets:
                pkg = model.Package.get(ident)
                if pkg is None:
                    yield _Local(ident, None)
                else:
                    yield _Local(pkg.id, _show(pkg.id))
            return
        query = (
            model.Session.query(model.Package.id)
            .filter(model.Package.type != HARVEST_TYPE)
            .order_by(model.Package.name)
        )
        for (dataset_id,) in query:
            yield _Local(dataset_id, _show(dataset_id))

    def _orphans(self) -> Iterable[_Local]:
        """Remote records of datasets that were purged here."""
        for ckan_id in sorted(self._remote_index()):
            if model.Package.get(ckan_id) is None:
                yield _Local(ckan_id, None)

    def _one(self, local: _Local, dry_run: bool) -> Outcome:
        package = local.package
        name = package["name"] if package else local.ident
        outcome = Outcome(UNCHANGED, name, local.ident)
        try:
            remote = self._remote(local)
            reason = self._withheld(package)
            if reason is None and package is not None:
                self._publish(package, remote, outcome, dry_run)
            elif remote is not None and not (
                self.deletion == "archive" and remote.get("archived")
            ):
                outcome.action = DELETE
                outcome.remote_id = remote["id"]
                outcome.details.append(reason or tk._("deleted here"))
                if not dry_run:
                    self._remove(remote["id"], package)
            elif package is None:
                outcome.action = SKIP
                outcome.error = tk._(
                    "No dataset {name} here nor on data.gouv.fr."
                ).format(name=local.ident)
            else:
                outcome.action = SKIP
                outcome.details.append(reason or "")
        except UdataAuthError as error:
            raise _StopError(
                tk._(
                    "data.gouv.fr refused the API key (HTTP {status}): check "
                    "ckanext.loiretcher.datagouv.api_key and that its owner is a "
                    "member of the organization {organization}. Nothing else was "
                    "attempted."
                ).format(status=error.status, organization=self.options.organization)
            ) from None
        except UdataValidationError as error:
            fields = "; ".join(
                f"{key}: {' '.join(messages)}" for key, messages in error.errors.items()
            )
            outcome.error = tk._("data.gouv.fr refused the dataset: {fields}").format(
                fields=fields or error.message(tk._)
            )
        except UdataError as error:
            outcome.error = error.message(tk._)
        return outcome

    # -- deciding -------------------------------------------------------------------

    def _withheld(self, package: dict[str, Any] | None) -> str | None:
        """Why a dataset is not (or no longer) published; None to publish it."""
        if package is None:
            return tk._("deleted here")
        if package.get("state") == "deleted":
            return tk._("deleted here")
        if package.get("type") == HARVEST_TYPE:
            return tk._("harvest source")
        if package.get("state") != "active":
            return tk._("draft")
        if package.get("private"):
            return tk._("private")
        if not self.publish_harvested and _harvested(package):
            return tk._("harvested from elsewhere")
        return None

    def _remote(self, local: _Local) -> dict[str, Any] | None:
        """The live remote record of a local dataset, if there is one."""
        known = _field(local.package, "datagouv_id") if local.package else None
        if known:
            try:
                record = self.client.dataset(known)
            except (UdataNotFoundError, UdataGoneError):
                record = None
            if record is not None and not record.get("deleted"):
                return record
        found = self._remote_index().get(local.ident)
        if found is None:
            return None
        # The listing may be shorter than the full record: read it whole.
        try:
            return self.client.dataset(found["id"])
        except (UdataNotFoundError, UdataGoneError):
            return None

    def _remote_index(self) -> dict[str, dict[str, Any]]:
        """CKAN id -> remote record, for every live dataset of the organization
        that carries one (read once per run)."""
        if self._index is None:
            index: dict[str, dict[str, Any]] = {}
            org = self.options.organization
            for page in self.client.iter_pages(f"/api/1/organizations/{org}/datasets/"):
                for record in page.data:
                    ckan_id = pm.marker(record)
                    if ckan_id and not record.get("deleted"):
                        index.setdefault(ckan_id, record)
            self._index = index
        return self._index

    # -- writing ----------------------------------------------------------------------

    def _publish(
        self,
        package: dict[str, Any],
        remote: dict[str, Any] | None,
        outcome: Outcome,
        dry_run: bool,
    ) -> None:
        payload = pm.dataset_payload(package, self.options)
        resources = [r for r in package.get("resources", []) if r.get("url")]
        if remote is None:
            outcome.action = CREATE
            outcome.details.append(
                tk._("resources: {count}").format(count=len(resources))
            )
            if dry_run:
                return
            created = self.client.create_dataset(payload)
            outcome.remote_id = created["id"]
            _store(package["id"], created["id"])
            stored: dict[str, str] = {}
            for resource in resources:
                made = self.client.create_resource(
                    created["id"], pm.resource_payload(resource, package)
                )
                stored[resource["id"]] = made["id"]
                _store(package["id"], created["id"], stored)
            return

        outcome.remote_id = remote["id"]
        changes = pm.dataset_changes(payload, remote)
        steps = self._resource_steps(package, resources, remote)
        if changes:
            outcome.details.append(", ".join(changes))
        for kind in (CREATE, UPDATE, DELETE):
            count = sum(1 for step in steps if step[0] == kind)
            if count:
                outcome.details.append(
                    {
                        CREATE: tk._("resources to create: {count}"),
                        UPDATE: tk._("resources to update: {count}"),
                        DELETE: tk._("resources to delete: {count}"),
                    }[kind].format(count=count)
                )
        pending = changes or any(step[0] != UNCHANGED for step in steps)
        outcome.action = UPDATE if pending else UNCHANGED
        if dry_run:
            return
        stored = {
            local["id"]: remote_resource["id"]
            for kind, local, remote_resource in steps
            if local is not None and remote_resource is not None
        }
        # Record what is known first: an interruption below then converges.
        _store(package["id"], remote["id"], stored)
        if changes:
            if "archived" in changes:
                payload["archived"] = None
            self.client.update_dataset(remote["id"], payload)
        for kind, local, remote_resource in steps:
            if kind == CREATE and local is not None:
                made = self.client.create_resource(
                    remote["id"], pm.resource_payload(local, package)
                )
                stored[local["id"]] = made["id"]
                _store(package["id"], remote["id"], stored)
            elif kind == UPDATE and local is not None and remote_resource is not None:
                self.client.update_resource(
                    remote["id"], remote_resource["id"],
                    pm.resource_payload(local, package),
                )
            elif kind == DELETE and remote_resource is not None:
                self.client.delete_resource(remote["id"], remote_resource["id"])

    def _resource_steps(
        self,
        package: dict[str, Any],
        resources: list[dict[str, Any]],
        remote: dict[str, Any],
    ) -> list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]]:
        remote_resources = [
            r for r in remote.get("resources") or [] if isinstance(r, dict)
        ]
        taken: set[str] = set()
        steps: list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]] = []
        for resource in resources:
            match = pm.find_remote_resource(resource, remote_resources, taken)
            if match is None:
                steps.append((CREATE, resource, None))
                continue
            taken.add(match["id"])
            changed = pm.resource_changes(pm.resource_payload(resource, package), match)
            steps.append((UPDATE if changed else UNCHANGED, resource, dict(match)))
        for leftover in remote_resources:
            # Only what this portal published; resources added on data.gouv.fr
            # by hand stay.
            if leftover.get("id") not in taken and pm.marker(
                leftover, pm.RESOURCE_MARKER_KEY
            ):
                steps.append((DELETE, None, leftover))
        return steps

    def _remove(self, remote_id: str, package: dict[str, Any] | None) -> None:
        if self.deletion == "archive":
            self.client.update_dataset(
                remote_id, {"archived": self._now().isoformat(), "private": False}
            )
        else:
            try:
                self.client.delete_dataset(remote_id)
            except (UdataNotFoundError, UdataGoneError):
                pass
            if package is not None:
                _store(package["id"], None)

    def _scrub(self, text: str) -> str:
        key = self.client.api_key
        return text.replace(key, "***") if key else text


# -- local state -------------------------------------------------------------------


def _show(dataset_id: str) -> dict[str, Any] | None:
    context: Any = {"ignore_auth": True, "use_cache": False}
    try:
        return tk.get_action("package_show")(context, {"id": dataset_id})
    except tk.ObjectNotFound:
        return None


def _field(package: dict[str, Any] | None, key: str) -> str | None:
    if not package:
        return None
    value = package.get(key)
    if value is None:
        for extra in package.get("extras") or []:
            if extra.get("key") == key:
                value = extra.get("value")
    return value if isinstance(value, str) and value else None


def _harvested(package: dict[str, Any]) -> bool:
    if _field(package, "guid") or _field(package, "harvest_url"):
        return True
    try:
        from ckanext.harvest.model import HarvestObject
    except ImportError:  # pragma: no cover - ckanext-harvest is a dependency
        return False
    return (
        model.Session.query(HarvestObject.id)
        .filter(HarvestObject.package_id == package["id"])
        .filter(HarvestObject.current.is_(True))
        .first()
        is not None
    )


def _store(
    dataset_id: str, remote_id: str | None, resources: dict[str, str] | None = None
) -> None:
    """Record the data.gouv.fr ids on the local dataset and its resources.

    Written on the model (not through package_update): it is the portal's own
    bookkeeping, must not trigger another publication, validation or activity.
    """
    pkg = model.Package.get(dataset_id)
    if pkg is None:
        return
    extras = dict(pkg.extras or {})
    if remote_id:
        extras["datagouv_id"] = remote_id
    else:
        extras.pop("datagouv_id", None)
    changed = extras != dict(pkg.extras or {})
    pkg.extras = extras
    for resource in pkg.resources:
        wanted = (resources or {}).get(resource.id)
        if remote_id is None and "datagouv_id" in (resource.extras or {}):
            resource.extras = {
                k: v for k, v in resource.extras.items() if k != "datagouv_id"
            }
            changed = True
        elif wanted and (resource.extras or {}).get("datagouv_id") != wanted:
            resource.extras = {**(resource.extras or {}), "datagouv_id": wanted}
            changed = True
    if changed:
        model.repo.commit()
        search.rebuild(dataset_id)


# -- entry points ---------------------------------------------------------------------


def from_config() -> Publisher:
    """A publisher set up from the ``ckanext.loiretcher.datagouv.*`` options."""
    organization = config.datagouv_organization()
    if not organization:
        raise PublishConfigError(
            tk._(
                "No data.gouv.fr organization: set "
                "ckanext.loiretcher.datagouv.organization to its id."
            )
        )
    client = UdataClient(
        config.datagouv_publish_url(), api_key=config.datagouv_api_key() or None
    )
    return Publisher(
        client,
        organization,
        deletion=config.datagouv_deletion(),
        publish_harvested=config.datagouv_publish_harvested(),
        site_url=tk.config.get("ckan.site_url", ""),
    )


def publish_dataset_job(dataset_id: str) -> None:
    """Background job: bring one dataset's copy on data.gouv.fr up to date."""
    try:
        publisher = from_config()
        report = publisher.run([dataset_id])
    except PublishConfigError as error:
        log.error("data.gouv.fr publication of %s not attempted: %s", dataset_id, error)
        return
    for line in report.lines():
        log.info("data.gouv.fr publication: %s", line)
    if not report.ok:
        log.error(
            "data.gouv.fr publication of %s failed: %s",
            dataset_id,
            report.fatal or "; ".join(o.error or "" for o in report.failed),
        )


def enqueue_publication(dataset: dict[str, Any]) -> None:
    """Queue :func:`publish_dataset_job` for a dataset that was just created,
    updated or deleted, when ``ckanext.loiretcher.datagouv.publish`` is on."""
    if not config.datagouv_publish() or dataset.get("type") == HARVEST_TYPE:
        return
    dataset_id = dataset.get("id")
    if not dataset_id:
        return
    name = dataset.get("name") or dataset_id
    tk.enqueue_job(
        publish_dataset_job,
        [dataset_id],
        title=f"loiretcher: publish {name} to data.gouv.fr",
    )
