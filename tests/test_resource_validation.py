"""Validation of the CSV files of SCDL datasets when resources are stored."""
from __future__ import annotations

import contextlib
import hashlib
import http.server
import os
import threading
import uuid
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from ckan import model
from ckan.lib import jobs, uploader
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.logic.dbfixtures import fresh_db  # noqa: F401 (fixture)
from tests.logic.scdl_csv import (
    INVALID_SUBVENTIONS,
    deliberations_csv,
    subvention,
    subventions_csv,
)

pytestmark = pytest.mark.usefixtures("fresh_db", "clean_queues")


@pytest.fixture
def sysadmin():
    return factories.SysadminWithToken()


@pytest.fixture
def context(sysadmin):
    return lambda: {"user": sysadmin["name"]}


@pytest.fixture
def dataset(sysadmin):
    org = factories.Organization()
    return call_action(
        "package_create", {"user": sysadmin["name"]}, type="subvention",
        name=f"subventions-{uuid.uuid4().hex[:10]}", title="Subventions 2024",
        owner_org=org["id"], year="2024",
    )


@pytest.fixture
def upload(create_with_upload, context, dataset):
    def make(data: bytes, filename: str = "subventions.csv", **fields):
        fields.setdefault("package_id", dataset["id"])
        return create_with_upload(data, filename, context=context(), **fields)

    return make


@pytest.fixture
def setting(monkeypatch, ckan_config):
    """Set a config option for one test (the ckan_config mark is not declared
    to --strict-markers in this project)."""
    return lambda key, value: monkeypatch.setitem(ckan_config, key, value)


SYNC_MAX = "ckanext.loiretcher.validation.sync_max_bytes"
REFUSE = "ckanext.loiretcher.validation.refuse_invalid"


def run_jobs() -> None:
    jobs.Worker(["default"]).work(burst=True)


def stored_file(resource_id: str) -> str:
    resource = call_action("resource_show", id=resource_id)
    return uploader.get_resource_uploader(resource).get_path(resource_id)


class TestSmallUploads:
    def test_a_valid_file_is_marked_valid_at_once(self, upload):
        data = subventions_csv([subvention(), subvention(montant="200")])
        resource = upload(data)
        assert resource["validation_status"] == "valid"
        report = resource["validation_report"]
        assert (report["rows"], report["error_count"], report["errors"]) == (2, 0, [])
        assert resource["validated_at"]
        assert (resource["schema_name"], resource["schema_version"]) == (
            "scdl/subventions", "2.1.1",
        )
        assert resource["hash"] == hashlib.sha256(data).hexdigest()
        assert resource["hash_algorithm"] == "sha256"
        # The file itself was stored untouched.
        with open(stored_file(resource["id"]), "rb") as stream:
            assert stream.read() == data
        assert not jobs.get_queue().jobs

    def test_an_invalid_file_is_stored_marked_invalid(self, upload):
        resource = upload(INVALID_SUBVENTIONS)
        assert resource["validation_status"] == "invalid"
        report = resource["validation_report"]
        assert report["error_count"] == 2
        assert [(e["row"], e["field"]) for e in report["errors"]] == [
            (2, "montant"), (3, "idBeneficiaire"),
        ]
        assert report["errors"][0]["value"] == "1500,50"
        # Never presented as following the schema.
        assert not resource.get("schema_name")
        assert not resource.get("schema_version")

    def test_a_file_that_is_no_csv_gets_error(self, upload):
        resource = upload(b"PK\x03\x04 not really a spreadsheet", "subventions.csv")
        assert resource["validation_status"] == "error"
        assert resource["validation_report"]["message"]

    def test_the_stored_report_is_capped_but_counts_everything(self, setting, upload):
        setting("ckanext.loiretcher.validation.report_max_errors", 3)
        rows = [subvention(montant="1,5") for _ in range(10)]
        report = upload(subventions_csv(rows))["validation_report"]
        assert report["error_count"] == 10
        assert len(report["errors"]) == 3
        assert report["truncated"] is True

    def test_a_document_is_not_validated(self, upload):
        resource = upload(b"%PDF-1.4 notice", "notice.pdf", format="PDF")
        assert "validation_status" not in resource
        assert resource["hash"] == hashlib.sha256(b"%PDF-1.4 notice").hexdigest()

    def test_files_of_a_standard_dataset_are_not_validated(
        self, create_with_upload, context
    ):
        other = factories.Dataset()
        resource = create_with_upload(
            INVALID_SUBVENTIONS, "data.csv", context=context(), package_id=other["id"]
        )
        assert "validation_status" not in resource

    def test_a_deliberations_file_uses_its_schema(self, create_with_upload, context,
                                                  sysadmin):
        delib = call_action(
            "package_create", context(), type="deliberation",
            name=f"deliberations-{uuid.uuid4().hex[:8]}", year="2024",
            owner_org=factories.Organization()["id"],
        )
        resource = create_with_upload(
            deliberations_csv(), "delib.csv", context=context(), package_id=delib["id"]
        )
        assert resource["validation_status"] == "valid"
        assert resource["schema_name"] == "scdl/deliberations"
        wrong = create_with_upload(
            subventions_csv(), "sub.csv", context=context(), package_id=delib["id"]
        )
        assert wrong["validation_status"] == "invalid"


class TestUpdates:
    def test_a_metadata_edit_keeps_the_result(self, upload, context):
        resource = upload(subventions_csv())
        patched = call_action(
            "resource_patch", context(), id=resource["id"], name="Conventions 2024"
        )
        assert patched["validation_status"] == "valid"
        assert patched["validated_at"] == resource["validated_at"]

    def test_a_dataset_form_save_keeps_the_result(self, upload, context, dataset):
        upload(subventions_csv())
        shown = call_action("package_show", id=dataset["id"])
        shown["title"] = "Subventions versées en 2024"
        for resource in shown["resources"]:  # what a client might send back
            resource["validation_status"] = "invalid"
        updated = call_action("package_update", context(), **shown)
        assert updated["resources"][0]["validation_status"] == "valid"

    def test_a_new_file_is_validated_again(self, upload, create_with_upload, context):
        resource = upload(subventions_csv())
        updated = create_with_upload(
            INVALID_SUBVENTIONS, "subventions.csv", context=context(),
            action="resource_update", id=resource["id"],
        )
        assert updated["validation_status"] == "invalid"
        assert updated["hash"] == hashlib.sha256(INVALID_SUBVENTIONS).hexdigest()

    def test_a_file_turned_into_a_document_loses_its_result(self, upload, context):
        resource = upload(subventions_csv())
        patched = call_action(
            "resource_patch", context(), id=resource["id"], format="PDF"
        )
        assert "validation_status" not in patched
        assert "schema_name" not in patched


class TestLargeFiles:
    def test_a_large_upload_is_pending_then_validated_by_a_job(self, setting, upload):
        setting(SYNC_MAX, 100)
        resource = upload(subventions_csv([subvention()] * 5))
        assert resource["validation_status"] == "pending"
        assert resource["validation_report"]["token"]
        queued = jobs.get_queue().jobs
        assert [j.func_name for j in queued] == [
            "ckanext.loiretcher.validation.jobs.validate_resource"
        ]
        run_jobs()
        done = call_action("resource_show", id=resource["id"])
        assert done["validation_status"] == "valid"
        assert done["validation_report"]["rows"] == 5
        assert done["schema_name"] == "scdl/subventions"
        # Storing the result did not queue anything else (no loop).
        assert not jobs.get_queue().jobs

    def test_the_worker_command_stores_french_messages(self, setting, upload, cli):
        from ckan.cli.cli import ckan

        setting(SYNC_MAX, 100)
        resource = upload(INVALID_SUBVENTIONS)
        result = cli.invoke(ckan, ["jobs", "worker", "--burst"])
        assert result.exit_code == 0, result.output
        done = call_action("resource_show", id=resource["id"])
        assert done["validation_status"] == "invalid"
        assert done["validation_report"]["error_count"] == 2
        montant = done["validation_report"]["errors"][0]
        assert "n'est pas un nombre" in montant["message"]

    def test_a_job_for_a_replaced_file_does_nothing(
        self, setting, upload, create_with_upload, context
    ):
        setting(SYNC_MAX, 100)
        from ckanext.loiretcher.validation.jobs import validate_resource

        first = upload(INVALID_SUBVENTIONS)
        old_token = first["validation_report"]["token"]
        create_with_upload(
            subventions_csv([subvention()] * 5), "subventions.csv", context=context(),
            action="resource_update", id=first["id"],
        )
        assert validate_resource(first["id"], old_token) == "superseded"
        run_jobs()
        assert call_action("resource_show", id=first["id"])[
            "validation_status"] == "valid"

    def test_refusing_invalid_files_validates_every_upload_at_once(
        self, setting, upload
    ):
        setting(REFUSE, True)
        setting(SYNC_MAX, 100)
        resource = upload(subventions_csv([subvention()] * 5))
        assert resource["validation_status"] == "valid"
        assert not jobs.get_queue().jobs


@contextlib.contextmanager
def serve(files: dict[str, bytes]) -> Iterator[str]:
    """A local HTTP server for linked files (runs in this process)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(body or b"not found")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class TestLinkedFiles:
    def test_a_linked_file_is_downloaded_and_validated_by_a_job(self, context, dataset):
        with serve({"/subventions.csv": subventions_csv()}) as root:
            resource = call_action(
                "resource_create", context(), package_id=dataset["id"],
                url=f"{root}/subventions.csv",
            )
            assert resource["validation_status"] == "pending"
            run_jobs()
        done = call_action("resource_show", id=resource["id"])
        assert done["validation_status"] == "valid"
        # The job summarised the file while it had it: the charts need no
        # second download (the server is gone now).
        summary = call_action("loiretcher_scdl_summary", id=dataset["id"])
        assert (summary["files"], summary["rows"]) == (1, 1)
        assert summary["total_amount"] == float(subvention()["montant"])

    def test_a_missing_linked_file_gets_error(self, context, dataset):
        with serve({}) as root:
            resource = call_action(
                "resource_create", context(), package_id=dataset["id"],
                url=f"{root}/absent.csv",
            )
            run_jobs()
        done = call_action("resource_show", id=resource["id"])
        assert done["validation_status"] == "error"
        assert "absent.csv" in done["validation_report"]["message"]

    def test_files_linked_in_package_create_are_queued(self, context):
        with serve({"/a.csv": INVALID_SUBVENTIONS}) as root:
            created = call_action(
                "package_create", context(), type="subvention",
                name=f"linked-{uuid.uuid4().hex[:8]}", year="2024",
                owner_org=factories.Organization()["id"],
                resources=[{"url": f"{root}/a.csv", "name": "Conventions"}],
            )
            resource = created["resources"][0]
            assert call_action("resource_show", id=resource["id"])[
                "validation_status"] == "pending"
            run_jobs()
        assert call_action("resource_show", id=resource["id"])[
            "validation_status"] == "invalid"


class TestRefuseInvalid:
    @pytest.fixture(autouse=True)
    def _refuse(self, setting):
        setting(REFUSE, True)

    def test_an_invalid_upload_stores_nothing(self, upload, dataset):
        before = set(os.listdir(uploader.get_storage_path()))
        with pytest.raises(tk.ValidationError) as info:
            upload(INVALID_SUBVENTIONS)
        errors = info.value.error_dict
        assert errors["validation_report"]["error_count"] == 2
        assert "montant" in " ".join(errors["url"])
        assert call_action("package_show", id=dataset["id"])["resources"] == []
        assert model.Session.query(model.Resource).filter_by(
            package_id=dataset["id"]).count() == 0
        assert set(os.listdir(uploader.get_storage_path())) == before

    def test_a_refused_update_keeps_the_previous_file(self, upload, create_with_upload,
                                                      context):
        data = subventions_csv()
        resource = upload(data)
        with pytest.raises(tk.ValidationError):
            create_with_upload(
                INVALID_SUBVENTIONS, "subventions.csv", context=context(),
                action="resource_update", id=resource["id"],
            )
        kept = call_action("resource_show", id=resource["id"])
        assert kept["validation_status"] == "valid"
        with open(stored_file(resource["id"]), "rb") as stream:
            assert stream.read() == data

    def test_a_valid_upload_is_accepted(self, upload):
        assert upload(subventions_csv())["validation_status"] == "valid"

    def test_the_web_form_shows_the_report(self, app, sysadmin, dataset):
        import io

        url = tk.url_for("subvention_resource.new", id=dataset["name"])
        response = app.post(
            url,
            headers={"Authorization": sysadmin["token"]},
            data={
                "upload": (io.BytesIO(INVALID_SUBVENTIONS), "subventions.csv"),
                "name": "Conventions", "save": "go-metadata", "id": "",
            },
        )
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        explanation = body.split("error-explanation")[1].split("</ul>\n</div>")[0]
        assert "scdl/subventions 2.1.1" in explanation
        assert "<code>1500,50</code>" in explanation
        assert "<code>idBeneficiaire</code>" in explanation
        assert call_action("package_show", id=dataset["id"])["resources"] == []


def test_the_resource_form_validates_an_upload(app, sysadmin, dataset):
    import io

    response = app.post(
        tk.url_for("subvention_resource.new", id=dataset["name"]),
        headers={"Authorization": sysadmin["token"]},
        data={
            "upload": (io.BytesIO(INVALID_SUBVENTIONS), "subventions.csv"),
            "name": "Conventions", "save": "go-metadata", "id": "",
        },
    )
    assert response.status_code == 200
    [resource] = call_action("package_show", id=dataset["id"])["resources"]
    assert resource["validation_status"] == "invalid"
    # Validated during a French request: the messages are French.
    assert "n'est pas un nombre" in resource["validation_report"]["errors"][0][
        "message"]


class TestValidationShow:
    def test_returns_the_report(self, upload):
        resource = upload(INVALID_SUBVENTIONS)
        shown = call_action("loiretcher_resource_validation_show", id=resource["id"])
        assert shown["status"] == "invalid"
        assert shown["error_count"] == 2
        assert shown["schema"] == "scdl/subventions"
        assert set(shown["errors"][0]) >= {"row", "field", "code", "value", "message"}

    def test_a_file_never_checked_has_no_status(self, context):
        resource = factories.Resource(url="http://example.org/x.pdf")
        shown = call_action("loiretcher_resource_validation_show", id=resource["id"])
        assert shown["status"] is None

    def test_whoever_cannot_read_the_resource_cannot_read_the_report(self, app):
        org = factories.Organization()
        private = factories.Dataset(owner_org=org["id"], private=True)
        resource = factories.Resource(package_id=private["id"])
        url = "/api/3/action/loiretcher_resource_validation_show"
        response = app.get(url, query_string={"id": resource["id"]})
        assert response.status_code == 403
        public = factories.Resource(package_id=factories.Dataset()["id"])
        response = app.get(url, query_string={"id": public["id"]})
        assert response.status_code == 200
        assert response.json["result"]["status"] is None

    def test_unknown_resource(self):
        with pytest.raises(tk.ObjectNotFound):
            call_action("loiretcher_resource_validation_show", id="nope")


class TestResourcePage:
    def test_valid_file_shows_a_badge_in_words(self, app, upload, dataset):
        resource = upload(subventions_csv())
        body = app.get(
            f"/subvention/{dataset['name']}/resource/{resource['id']}"
        ).get_data(as_text=True)
        assert "loiretcher-validation-valid" in body
        assert "fichier valide" in body
        assert "loiretcher-validation-errors" not in body

    def test_the_dataset_page_says_which_files_are_valid(self, app, upload, dataset):
        upload(subventions_csv())
        upload(INVALID_SUBVENTIONS)
        body = app.get(f"/subvention/{dataset['name']}").get_data(as_text=True)
        items = BeautifulSoup(body, "html.parser").select("li.resource-item")
        badges = [item.select_one(".loiretcher-validation-badge") for item in items]
        assert len(items) == 2 and all(badges)
        texts = sorted(" ".join(badge.get_text().split()) for badge in badges)
        assert "fichier invalide" in texts[0] and "fichier valide" in texts[1]

    def test_invalid_file_shows_the_errors_in_a_table(self, app, upload, dataset):
        resource = upload(INVALID_SUBVENTIONS)
        body = app.get(
            f"/subvention/{dataset['name']}/resource/{resource['id']}"
        ).get_data(as_text=True)
        assert "fichier invalide" in body
        table = body.split('class="table table-striped table-bordered table-sm '
                           'loiretcher-validation-errors"')[1].split("</table>")[0]
        for header in ("Ligne", "Colonne", "Valeur"):
            assert f'<th scope="col">{header}</th>' in table
        assert "<code>1500,50</code>" in table
        assert "<code>montant</code>" in table
        # The raw report stays out of the additional information table.
        assert "Validation report" not in body

    def test_pending_file_says_so(self, setting, app, upload, dataset):
        setting(SYNC_MAX, 100)
        resource = upload(subventions_csv([subvention()] * 5))
        body = app.get(
            f"/subvention/{dataset['name']}/resource/{resource['id']}"
        ).get_data(as_text=True)
        assert "validation en attente" in body
