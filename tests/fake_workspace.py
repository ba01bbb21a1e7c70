"""A fake Google Workspace on 127.0.0.1 for the tests: Gmail, Calendar, Sheets, Forms, Drive and Docs, with state.

    with FakeWorkspace() as fake:                       # serves http://127.0.0.1:<port>
        environ = {"MENTORLUS_GOOGLE_ENDPOINT": fake.url}
        fake.fail("gmail.users.messages.send", status=429, retry_after=1)
        fake.drop_after_write("gmail.users.messages.send")   # applied, then the connection is cut
        fake.messages                                        # what was "sent"

Every request is matched to a method of the discovery documents shipped with
google-api-python-client; a body or a query parameter those documents do not
allow is refused with 400, as Google would.
"""

from __future__ import annotations

import base64
import copy
import io
import itertools
import json
import re
import socket
import threading
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo
from dataclasses import dataclass
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from googleapiclient.discovery_cache import get_static_doc

APIS = [("gmail", "v1"), ("calendar", "v3"), ("sheets", "v4"), ("forms", "v1"), ("drive", "v3"), ("docs", "v1")]
STANDARD_PARAMETERS = {"alt", "fields", "key", "prettyPrint", "quotaUser", "oauth_token", "userIp", "$.xgafv", "access_token",
                       "callback", "uploadType", "upload_protocol"}


class ApiError(Exception):
    def __init__(self, status: int, message: str, reason: str = "", grpc_status: str = "") -> None:
        super().__init__(message)
        self.status, self.message, self.reason, self.grpc_status = status, message, reason, grpc_status

    def body(self) -> dict:
        error = {"code": self.status, "message": self.message, "status": self.grpc_status or {400: "INVALID_ARGUMENT", 404: "NOT_FOUND", 409: "ALREADY_EXISTS", 429: "RESOURCE_EXHAUSTED", 403: "PERMISSION_DENIED"}.get(self.status, "INTERNAL")}
        if self.reason:
            error["errors"] = [{"reason": self.reason, "message": self.message}]
        return {"error": error}


@dataclass
class Method:
    id: str
    http_method: str
    pattern: re.Pattern
    spec: dict
    schemas: dict
    api_parameters: dict


@dataclass
class Fault:
    method_id: str
    status: int = 0  # 0: drop the connection after applying the request
    retry_after: float | None = None
    times: int = 1
    when: Callable[[dict], bool] | None = None  # on which requests (the parsed body)
    reason: str = ""  # Google's reason, e.g. insufficientPermissions


def _discovery() -> list[Method]:
    methods = []
    for name, version in APIS:
        document = json.loads(get_static_doc(name, version))
        prefix = "/" + document.get("servicePath", "")

        def walk(resources: dict) -> None:
            for resource in resources.values():
                for spec in resource.get("methods", {}).values():
                    path = spec.get("flatPath", spec["path"])
                    pieces = re.split(r"\{\+?([^}]+)\}", path)  # literal, name, literal, name, ...
                    regex = "".join(re.escape(piece) if index % 2 == 0 else f"(?P<{piece.replace('.', '_')}>[^/]+?)" for index, piece in enumerate(pieces))
                    methods.append(Method(spec["id"], spec["httpMethod"], re.compile("^" + re.escape(prefix) + regex + "$"), spec,
                                          document["schemas"], document.get("parameters", {})))
                walk(resource.get("resources", {}))

        walk(document["resources"])
    # Literal paths before templated ones: 'messages/send' is not a message id.
    return sorted(methods, key=lambda m: m.pattern.pattern.count("(?P<"))


def _check_body(value: Any, schema: dict, schemas: dict, where: str) -> None:
    if "$ref" in schema:
        schema = schemas[schema["$ref"]]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if not isinstance(value, dict):
            raise ApiError(400, f"Invalid value at '{where}': expected an object")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in properties:
                _check_body(item, properties[key], schemas, f"{where}.{key}" if where else key)
            elif extra is not None:
                _check_body(item, extra, schemas, f"{where}.{key}")
            else:
                raise ApiError(400, f'Invalid JSON payload received. Unknown name "{key}" at \'{where or "body"}\': Cannot find field.')
    elif kind == "array":
        if not isinstance(value, list):
            raise ApiError(400, f"Invalid value at '{where}': expected a list")
        for index, item in enumerate(value):
            _check_body(item, schema.get("items", {}), schemas, f"{where}[{index}]")
    elif kind == "string":
        if not isinstance(value, str):
            raise ApiError(400, f"Invalid value at '{where}' ({type(value).__name__}): expected a string")
        if "enum" in schema and value not in schema["enum"]:
            raise ApiError(400, f"Invalid value at '{where}' ({value}): not one of {schema['enum']}")
    elif kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ApiError(400, f"Invalid value at '{where}': expected an integer")
    elif kind == "boolean":
        if not isinstance(value, bool):
            raise ApiError(400, f"Invalid value at '{where}': expected a boolean")
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ApiError(400, f"Invalid value at '{where}': expected a number")


class FakeWorkspace:
    """State and handlers; `url` is the root every API's service path hangs from."""

    def __init__(self) -> None:
        self.methods = _discovery()
        self.lock = threading.RLock()
        self.ids = itertools.count(1)
        self.messages: list[dict] = []
        self.events: dict[tuple[str, str], dict] = {}
        self.spreadsheets: dict[str, dict] = {}
        self.forms: dict[str, dict] = {}
        self.files: dict[str, dict] = {}
        self.documents: dict[str, str] = {}
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []  # (method id, HTTP method), in order: one per HTTP request ("batch" for a batch)
        self.batched: list[tuple[str, str]] = []  # the requests that came inside batches
        self.dropped: list[str] = []
        # What requests were about, for the least a job could need: ("email", id), ("tab", sheet/tab), ("event", id),
        # ("form", id), ("document copied" / "document filled" / "document shared" / "file written", id), ("chart", id).
        self.touched: list[tuple[str, str]] = []
        self.server: ThreadingHTTPServer | None = None

    # ---- the test's controls

    def fail(self, method_id: str, *, status: int, retry_after: float | None = None, times: int = 1, when=None, reason: str = "") -> None:
        self.faults.append(Fault(method_id, status, retry_after, times, when, reason))

    def drop_after_write(self, method_id: str, *, times: int = 1, when=None) -> None:
        self.faults.append(Fault(method_id, 0, None, times, when))

    def request_counts(self) -> Counter:
        return Counter(method for method, _ in self.requests)

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self.ids):06d}"

    def sent(self, *, include_trash: bool = False) -> list[dict]:
        return [m for m in self.messages if include_trash or "TRASH" not in m["labelIds"]]

    def submit(self, form_id: str, answers: dict[str, str], *, submitted: str, email: str = "") -> None:
        """A respondent fills in the form: answers by question title; `submitted` as RFC 3339."""
        with self.lock:
            form = self.forms[form_id]
            if not form.get("publishSettings", {}).get("publishState", {}).get("isPublished"):
                raise AssertionError(f"form {form_id} is not published: nobody could answer it")
            by_title = {item["title"]: item["questionItem"]["question"]["questionId"] for item in form.get("items", []) if "questionItem" in item}
            unknown = set(answers) - set(by_title)
            if unknown:
                raise AssertionError(f"form {form_id} has no question {sorted(unknown)}")
            response = {
                "formId": form_id,
                "responseId": self.new_id("resp"),
                "createTime": submitted,
                "lastSubmittedTime": submitted,
                "answers": {by_title[t]: {"questionId": by_title[t], "textAnswers": {"answers": [{"value": v}]}} for t, v in answers.items() if v != ""},
            }
            if email:
                response["respondentEmail"] = email
            form.setdefault("_responses", []).append(response)

    # ---- serving

    def __enter__(self) -> "FakeWorkspace":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if self.path.startswith("/batch"):
                    status, data, content_type = fake.batch(self.headers.get("Content-Type", ""), raw)
                    headers, drop = {}, False
                else:
                    status, body, headers, drop = fake.handle(self.command, self.path, raw, content_type=self.headers.get("Content-Type", ""))
                    data, content_type = (json.dumps(body).encode("utf-8") if body is not None else b""), "application/json; charset=UTF-8"
                if drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def batch(self, content_type: str, raw: bytes) -> tuple[int, bytes, str]:
        """A batch: one HTTP request carrying several, each answered in its own part, in order."""
        with self.lock:
            self.requests.append(("batch", "POST"))
        envelope = message_from_bytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw, policy=policy.HTTP)
        if not envelope.is_multipart():
            return 400, json.dumps(ApiError(400, "a batch must be multipart/mixed").body()).encode(), "application/json"
        boundary = "batch_fake_boundary"
        answers = []
        for part in envelope.iter_parts():
            inner = part.get_payload(decode=True) or part.get_payload().encode("utf-8")
            head, _, body = inner.replace(b"\r\n", b"\n").partition(b"\n\n")
            method, target, _ = head.split(b"\n", 1)[0].decode().split(" ", 2)
            status, result, _, _ = self.handle(method, target, body.strip(), batched=True)
            text = json.dumps(result) if result is not None else ""
            answers.append(f"--{boundary}\r\nContent-Type: application/http\r\nContent-ID: <response-{part['Content-ID'].strip('<>')}>\r\n\r\n"
                           f"HTTP/1.1 {status} {'OK' if status < 300 else 'Error'}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{text}\r\n")
        data = ("".join(answers) + f"--{boundary}--\r\n").encode("utf-8")
        return 200, data, f"multipart/mixed; boundary={boundary}"

    def handle(self, http_method: str, target: str, raw: bytes, *, batched: bool = False, content_type: str = "") -> tuple[int, Any, dict, bool]:
        parts = urlsplit(target)
        path = parts.path
        media = None
        if path.startswith("/upload/"):
            # A media upload: the same method as without "/upload", its metadata and its content in a multipart/related body.
            path = path[len("/upload"):]
            raw, media = _multipart_related(content_type, raw)
        query = {key: values if len(values) > 1 or key in ("ranges", "metadataHeaders") else values[0]
                 for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
        with self.lock:
            try:
                method, params = self._match(http_method, path)
                (self.batched if batched else self.requests).append((method.id, http_method))
                self._check_query(method, query)
                body = json.loads(raw.decode("utf-8")) if raw else None
                if method.spec.get("request") and body is not None:
                    _check_body(body, method.spec["request"], method.schemas, "")
                fault = self._fault(method.id, body)
                if fault is not None and fault.status:
                    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
                    reason = fault.reason or ("rateLimitExceeded" if fault.status in (403, 429) else "backendError")
                    return fault.status, ApiError(fault.status, "injected fault", reason).body(), headers, False
                handler = getattr(self, "_" + method.id.replace(".", "_"), None)
                if handler is None:
                    raise ApiError(501, f"the fake does not implement {method.id}")
                result = handler(params, query, body) if media is None else handler(params, query, body, media=media)
                if fault is not None:
                    self.dropped.append(method.id)
                    return 0, None, {}, True
                return 200, ({} if result is None else result), {}, False
            except ApiError as error:
                return error.status, error.body(), {}, False

    def _match(self, http_method: str, path: str) -> tuple[Method, dict]:
        from urllib.parse import unquote

        for method in self.methods:
            if method.http_method != http_method:
                continue
            found = method.pattern.match(path)
            if found:
                return method, {k: unquote(v) for k, v in found.groupdict().items()}
        raise ApiError(404, f"no method for {http_method} {path}")

    def _check_query(self, method: Method, query: dict) -> None:
        known = set(method.spec.get("parameters", {})) | set(method.api_parameters) | STANDARD_PARAMETERS
        for key in query:
            if key not in known:
                raise ApiError(400, f"Invalid JSON payload received. Unknown name \"{key}\": Cannot bind query parameter.")
        for key, spec in method.spec.get("parameters", {}).items():
            if spec.get("location") == "query" and "enum" in spec and key in query and query[key] not in spec["enum"]:
                raise ApiError(400, f"Invalid value for {key}: {query[key]}")

    def _fault(self, method_id: str, body: Any) -> Fault | None:
        for fault in self.faults:
            if fault.method_id == method_id and fault.times > 0 and (fault.when is None or fault.when(body)):
                fault.times -= 1
                return fault
        return None

    # ---- Gmail

    account = "mentorlus@example.ee"  # the mailbox the credentials act as

    def _gmail_users_getProfile(self, params, query, body):
        return {"emailAddress": self.account, "messagesTotal": len(self.messages)}

    def _gmail_users_messages_send(self, params, query, body):
        raw = base64.urlsafe_b64decode(body["raw"] + "=" * (-len(body["raw"]) % 4))
        parsed = message_from_bytes(raw, policy=policy.default)
        message = {"id": self.new_id("msg"), "threadId": self.new_id("thr"), "labelIds": ["SENT"], "raw": raw,
                   "headers": {k.lower(): str(v) for k, v in parsed.items()}, "text": _text_of(parsed)}
        self.messages.append(message)
        self.touched.append(("email", message["headers"].get("message-id", message["id"])))
        return {"id": message["id"], "threadId": message["threadId"], "labelIds": ["SENT"]}

    def _gmail_users_messages_list(self, params, query, body):
        include_trash = query.get("includeSpamTrash") == "true"
        found = [m for m in self.messages if (include_trash or "TRASH" not in m["labelIds"]) and _gmail_matches(m, query.get("q", ""))]
        return _page(found, query, "maxResults", 100, "messages", lambda m: {"id": m["id"], "threadId": m["threadId"]},
                     extra={"resultSizeEstimate": len(found)})

    def _message(self, message_id: str) -> dict:
        for message in self.messages:
            if message["id"] == message_id:
                return message
        raise ApiError(404, "Requested entity was not found.", "notFound")

    def _gmail_users_messages_get(self, params, query, body):
        message = self._message(params["id"])
        wanted = [h.lower() for h in _as_list(query.get("metadataHeaders", []))]
        headers = [{"name": k, "value": v} for k, v in message["headers"].items() if not wanted or k in wanted]
        return {"id": message["id"], "threadId": message["threadId"], "labelIds": message["labelIds"], "payload": {"headers": headers}}

    def _gmail_users_messages_trash(self, params, query, body):
        message = self._message(params["id"])
        message["labelIds"] = [label for label in message["labelIds"] if label != "SENT"] + ["TRASH"]
        return {"id": message["id"], "labelIds": message["labelIds"]}

    # ---- Calendar

    def _calendar_events_insert(self, params, query, body):
        key = (params["calendarId"], body.get("id") or self.new_id("ev"))
        if not re.fullmatch(r"[0-9a-v]{5,1024}", key[1]):
            raise ApiError(400, "Invalid resource id value.", "invalid")
        if key in self.events:
            raise ApiError(409, "The requested identifier already exists.", "duplicate")
        event = {**copy.deepcopy(body), "id": key[1], "kind": "calendar#event", "status": body.get("status", "confirmed"), "_sendUpdates": query.get("sendUpdates")}
        self._conference(event, query)
        self.events[key] = event
        self.touched.append(("event", key[1]))
        return _public(event)

    def _conference(self, event: dict, query: dict) -> None:
        request = event.get("conferenceData", {}).get("createRequest")
        if request and query.get("conferenceDataVersion") == "1":
            event["hangoutLink"] = f"https://meet.google.com/fake-{request['requestId'][:10]}"

    def _event(self, params) -> dict:
        event = self.events.get((params["calendarId"], params["eventId"]))
        if event is None:
            raise ApiError(404, "Not Found", "notFound")
        return event

    def _calendar_events_patch(self, params, query, body):
        event = self._event(params)
        self.touched.append(("event", params["eventId"]))
        event.update(copy.deepcopy(body))
        self._conference(event, query)
        return _public(event)

    def _calendar_events_get(self, params, query, body):
        return _public(self._event(params))

    def _calendar_events_list(self, params, query, body):
        wanted = _as_list(query.get("privateExtendedProperty", []))
        found = [e for (calendar, _), e in sorted(self.events.items()) if calendar == params["calendarId"]
                 and all(e.get("extendedProperties", {}).get("private", {}).get(k) == v for k, _, v in (w.partition("=") for w in wanted))]
        return _page(found, query, "maxResults", 250, "items", _public)

    # ---- Sheets

    def _spreadsheet(self, spreadsheet_id: str) -> dict:
        if spreadsheet_id not in self.spreadsheets:
            raise ApiError(404, "Requested entity was not found.", "notFound")
        return self.spreadsheets[spreadsheet_id]

    def _sheets_spreadsheets_create(self, params, query, body):
        spreadsheet_id = self.new_id("sheet")
        tabs = [{"properties": {"sheetId": index, "title": s["properties"]["title"]}, "charts": [], "_values": []}
                for index, s in enumerate(body.get("sheets") or [{"properties": {"title": "Sheet1"}}])]
        self.spreadsheets[spreadsheet_id] = {"spreadsheetId": spreadsheet_id, "properties": body.get("properties", {}), "sheets": tabs}
        self.files[spreadsheet_id] = {"id": spreadsheet_id, "name": body.get("properties", {}).get("title", ""), "mimeType": "application/vnd.google-apps.spreadsheet",
                                      "parents": ["root"], "appProperties": {}, "_permissions": []}
        return self._sheets_spreadsheets_get({"spreadsheetId": spreadsheet_id}, {}, None)

    def _sheets_spreadsheets_get(self, params, query, body):
        spreadsheet = self._spreadsheet(params["spreadsheetId"])
        return {"spreadsheetId": spreadsheet["spreadsheetId"], "properties": spreadsheet["properties"],
                "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{spreadsheet['spreadsheetId']}/edit",
                "sheets": [{"properties": s["properties"], "charts": copy.deepcopy(s["charts"])} for s in spreadsheet["sheets"]]}

    def _tab(self, spreadsheet: dict, range_: str) -> dict:
        title = range_.split("!")[0]
        if title.startswith("'"):
            title = title[1:-1].replace("''", "'")
        for tab in spreadsheet["sheets"]:
            if tab["properties"]["title"] == title:
                return tab
        raise ApiError(400, f"Unable to parse range: {range_}")

    def _sheets_spreadsheets_values_batchGet(self, params, query, body):
        spreadsheet = self._spreadsheet(params["spreadsheetId"])
        ranges = []
        for range_ in _as_list(query.get("ranges", [])):
            self.touched.append(("tab", f"{params['spreadsheetId']}/{range_}"))
            values = [[_formatted(cell) for cell in row] for row in self._tab(spreadsheet, range_)["_values"]]
            values = [row[: max((i + 1 for i, c in enumerate(row) if c != ""), default=0)] for row in values]
            while values and not values[-1]:
                values.pop()
            ranges.append({"range": range_, "majorDimension": "ROWS", **({"values": values} if values else {})})
        return {"spreadsheetId": params["spreadsheetId"], "valueRanges": ranges}

    def _sheets_spreadsheets_values_batchUpdate(self, params, query, body):
        spreadsheet = self._spreadsheet(params["spreadsheetId"])
        if body.get("valueInputOption") not in ("RAW", "USER_ENTERED"):
            raise ApiError(400, "Invalid valueInputOption")
        cells = 0
        for data in body.get("data", []):
            self.touched.append(("tab", f"{params['spreadsheetId']}/{data['range']}"))
            tab = self._tab(spreadsheet, data["range"])
            grid = tab["_values"]
            top, left = _start_cell(data["range"])
            for r, row in enumerate(data.get("values", []), start=top):
                while len(grid) <= r:
                    grid.append([])
                for c, value in enumerate(row, start=left):
                    while len(grid[r]) <= c:
                        grid[r].append("")
                    grid[r][c] = value
                    cells += 1
        return {"spreadsheetId": params["spreadsheetId"], "totalUpdatedCells": cells}

    def _sheets_spreadsheets_values_batchClear(self, params, query, body):
        spreadsheet = self._spreadsheet(params["spreadsheetId"])
        for range_ in body.get("ranges", []):
            self._tab(spreadsheet, range_)["_values"] = []
        return {"spreadsheetId": params["spreadsheetId"], "clearedRanges": body.get("ranges", [])}

    def _sheets_spreadsheets_batchUpdate(self, params, query, body):
        spreadsheet = self._spreadsheet(params["spreadsheetId"])
        replies = []
        for request in body.get("requests", []):
            (kind, detail), = request.items()
            if kind == "addSheet":
                title = detail["properties"]["title"]
                if any(s["properties"]["title"] == title for s in spreadsheet["sheets"]):
                    raise ApiError(400, f'A sheet with the name "{title}" already exists.')
                properties = {"sheetId": max((s["properties"]["sheetId"] for s in spreadsheet["sheets"]), default=-1) + 1, "title": title}
                spreadsheet["sheets"].append({"properties": properties, "charts": [], "_values": []})
                replies.append({"addSheet": {"properties": properties}})
            elif kind == "updateSpreadsheetProperties":
                for name in detail["fields"].split(","):
                    if name in detail["properties"]:
                        spreadsheet["properties"][name] = detail["properties"][name]
                replies.append({})
            elif kind == "deleteSheet":
                if len(spreadsheet["sheets"]) == 1:
                    raise ApiError(400, "You can't remove all the sheets in a document.")
                spreadsheet["sheets"] = [s for s in spreadsheet["sheets"] if s["properties"]["sheetId"] != detail["sheetId"]]
                replies.append({})
            elif kind == "addChart":
                chart = {"chartId": next(self.ids), **copy.deepcopy(detail["chart"])}
                sheet_id = chart["position"]["overlayPosition"]["anchorCell"]["sheetId"]
                next(s for s in spreadsheet["sheets"] if s["properties"]["sheetId"] == sheet_id)["charts"].append(chart)
                self.touched.append(("chart", str(chart["chartId"])))
                replies.append({"addChart": {"chart": chart}})
            elif kind == "updateCells":
                replies.append(self._update_cells(spreadsheet, detail))
            elif kind == "updateChartSpec":
                chart = next((c for s in spreadsheet["sheets"] for c in s["charts"] if c["chartId"] == detail["chartId"]), None)
                if chart is None:
                    raise ApiError(400, f"No chart with id: {detail['chartId']}")
                chart["spec"] = copy.deepcopy(detail["spec"])
                self.touched.append(("chart", str(chart["chartId"])))
                replies.append({})
            else:
                raise ApiError(501, f"the fake does not implement the request {kind}")
        return {"spreadsheetId": params["spreadsheetId"], "replies": replies}

    def _update_cells(self, spreadsheet: dict, detail: dict) -> dict:
        """Values only (fields "userEnteredValue"), over a whole tab or from a start cell: as the API, a `range` the
        rows do not cover is cleared; a `start` writes the rows and leaves the rest."""
        if detail.get("fields") != "userEnteredValue":
            raise ApiError(501, f"the fake writes only userEnteredValue, not {detail.get('fields')!r}")
        where = detail.get("range") or detail.get("start")
        if where is None or ("range" in detail) == ("start" in detail):
            raise ApiError(400, "Invalid requests[0].updateCells: exactly one of range or start must be set")
        tab = next((s for s in spreadsheet["sheets"] if s["properties"]["sheetId"] == where.get("sheetId", 0)), None)
        if tab is None:
            raise ApiError(400, f"Invalid requests[0].updateCells: No grid with id: {where.get('sheetId', 0)}")
        if any(value for key, value in where.items() if key != "sheetId"):
            raise ApiError(501, "the fake writes from A1 or over a whole tab only")
        quoted_title = "'" + tab["properties"]["title"].replace("'", "''") + "'"
        self.touched.append(("tab", f"{spreadsheet['spreadsheetId']}/{quoted_title}"))
        written = []
        for row in detail.get("rows", []):
            cells = []
            for cell in row.get("values", []):
                value = cell.get("userEnteredValue", {})
                if "formulaValue" in value:
                    raise ApiError(501, "the fake does not evaluate formulas")
                cells.append(value.get("numberValue", value.get("stringValue", value.get("boolValue", ""))))
            written.append(cells)
        if "range" in detail:
            tab["_values"] = written
        else:
            grid = tab["_values"]
            for r, cells in enumerate(written):
                while len(grid) <= r:
                    grid.append([])
                grid[r][: len(cells)] = cells
        return {}

    def values(self, spreadsheet_id: str, tab: str) -> list[list[str]]:
        """A tab as a person sees it: formatted values."""
        found = self._sheets_spreadsheets_values_batchGet({"spreadsheetId": spreadsheet_id}, {"ranges": [f"'{tab}'"]}, None)
        return found["valueRanges"][0].get("values", [])

    # ---- Forms

    def _form(self, form_id: str) -> dict:
        if form_id not in self.forms:
            raise ApiError(404, "Requested entity was not found.", grpc_status="NOT_FOUND")
        return self.forms[form_id]

    def _forms_forms_create(self, params, query, body):
        if set(body.get("info", {})) - {"title", "documentTitle"} or set(body) - {"info"}:
            raise ApiError(400, "Only info.title and info.documentTitle may be set when creating a form")
        form_id = self.new_id("form")
        self.forms[form_id] = {"formId": form_id, "info": body["info"], "settings": {}, "items": [], "revisionId": "1",
                               "responderUri": f"https://docs.google.com/forms/d/e/{form_id}/viewform",
                               "publishSettings": {"publishState": {"isPublished": False, "isAcceptingResponses": False}}}
        self.files[form_id] = {"id": form_id, "name": body["info"].get("documentTitle") or body["info"]["title"],
                               "mimeType": "application/vnd.google-apps.form", "parents": ["root"], "appProperties": {}, "_permissions": []}
        return _public(self.forms[form_id])

    def _forms_forms_get(self, params, query, body):
        return _public(self._form(params["formId"]))

    def _forms_forms_batchUpdate(self, params, query, body):
        form = self._form(params["formId"])
        replies = []
        for request in body.get("requests", []):
            (kind, detail), = request.items()
            if kind == "createItem":
                item = copy.deepcopy(detail["item"])
                item["itemId"] = self.new_id("item")
                if "questionItem" in item:
                    item["questionItem"]["question"]["questionId"] = self.new_id("q")
                form["items"].insert(detail["location"]["index"], item)
                replies.append({"createItem": {"itemId": item["itemId"]}})
            elif kind == "updateFormInfo":
                form["info"].update(detail["info"])
                replies.append({})
            elif kind == "updateSettings":
                form["settings"].update(detail["settings"])
                replies.append({})
            else:
                raise ApiError(501, f"the fake does not implement the request {kind}")
        return {"replies": replies, "form": _public(form)}

    def _forms_forms_setPublishSettings(self, params, query, body):
        form = self._form(params["formId"])
        form["publishSettings"] = copy.deepcopy(body["publishSettings"])
        return {"formId": form["formId"], "publishSettings": form["publishSettings"]}

    def _forms_forms_responses_list(self, params, query, body):
        form = self._form(params["formId"])
        self.touched.append(("form", params["formId"]))
        return _page(form.get("_responses", []), query, "pageSize", 5000, "responses", copy.deepcopy)

    # ---- Drive

    def _file(self, file_id: str) -> dict:
        found = self.files.get(file_id)
        if found is None or found.get("trashed"):
            raise ApiError(404, f"File not found: {file_id}.", "notFound")
        return found

    def _drive_files_create(self, params, query, body, media: bytes | None = None):
        file_id = self.new_id("file")
        body = body or {}
        item = {"id": file_id, "name": body.get("name", "Untitled"), "mimeType": body.get("mimeType", "application/octet-stream"),
                "parents": body.get("parents") or ["root"], "appProperties": dict(body.get("appProperties", {})), "_permissions": []}
        if media is not None:
            item["_content"] = media
            self.touched.append(("file written", file_id))
        item["webViewLink"] = f"https://docs.google.com/document/d/{file_id}/edit"
        self.files[file_id] = item
        if item["mimeType"] == "application/vnd.google-apps.document":
            self.documents[file_id] = ""
        elif item["mimeType"] == "application/vnd.google-apps.spreadsheet":
            # As Google makes it through Drive: one tab, named in the account's language.
            self.spreadsheets[file_id] = {"spreadsheetId": file_id, "properties": {"title": item["name"], "locale": "en_US"},
                                          "sheets": [{"properties": {"sheetId": 0, "title": "Sheet1"}, "charts": [], "_values": []}]}
        elif item["mimeType"] == "application/vnd.google-apps.form":
            self.forms[file_id] = {"formId": file_id, "info": {"title": item["name"], "documentTitle": item["name"]}, "settings": {}, "items": [],
                                   "revisionId": "1", "responderUri": f"https://docs.google.com/forms/d/e/{file_id}/viewform",
                                   "publishSettings": {"publishState": {"isPublished": False, "isAcceptingResponses": False}}}
        return _public(item)

    def _drive_files_copy(self, params, query, body):
        source = self._file(params["fileId"])
        file_id = self.new_id("file")
        item = {**copy.deepcopy(source), "id": file_id, "name": body.get("name", f"Copy of {source['name']}"),
                "parents": body.get("parents") or source["parents"], "appProperties": dict(body.get("appProperties", {})), "_permissions": [],
                "webViewLink": f"https://docs.google.com/document/d/{file_id}/edit"}
        self.files[file_id] = item
        self.touched.append(("document copied", file_id))
        if params["fileId"] in self.documents:
            self.documents[file_id] = self.documents[params["fileId"]]
        return _public(item)

    def _drive_files_get(self, params, query, body):
        return _public(self._file(params["fileId"]))

    def _drive_files_update(self, params, query, body, media: bytes | None = None):
        item = self._file(params["fileId"])
        if media is not None:
            item["_content"] = media
            self.touched.append(("file written", params["fileId"]))
        if body:
            item["appProperties"].update((body or {}).get("appProperties", {}))
            if "name" in body:
                item["name"] = body["name"]
        removed = [p for p in query.get("removeParents", "").split(",") if p]
        item["parents"] = [p for p in item["parents"] if p not in removed]
        for parent in [p for p in query.get("addParents", "").split(",") if p]:
            if parent not in item["parents"]:
                item["parents"].append(parent)
        return _public(item)

    def _drive_files_delete(self, params, query, body):
        self._file(params["fileId"])
        del self.files[params["fileId"]]
        self.documents.pop(params["fileId"], None)
        self.forms.pop(params["fileId"], None)
        return None

    def _drive_files_list(self, params, query, body):
        matches = _drive_query(query.get("q", ""))
        found = [_public(f) for f in self.files.values() if matches(f)]
        return _page(found, query, "pageSize", 100, "files", lambda f: f, token_key="nextPageToken")

    def _drive_permissions_create(self, params, query, body):
        item = self._file(params["fileId"])
        self.touched.append(("document shared", params["fileId"]))
        if query.get("sendNotificationEmail") != "false":
            item.setdefault("_notified", []).append(body.get("emailAddress"))
        for permission in item["_permissions"]:
            if permission.get("emailAddress") == body.get("emailAddress") and permission.get("type") == body.get("type"):
                permission["role"] = body["role"]
                return permission
        permission = {"id": self.new_id("perm"), **body}
        item["_permissions"].append(permission)
        return permission

    def _drive_permissions_list(self, params, query, body):
        return {"permissions": copy.deepcopy(self._file(params["fileId"])["_permissions"])}

    # ---- Docs

    def _docs_documents_get(self, params, query, body):
        if params["documentId"] not in self.documents:
            raise ApiError(404, "Requested entity was not found.")
        text = self.documents[params["documentId"]]
        return {"documentId": params["documentId"], "title": self.files[params["documentId"]]["name"],
                "body": {"content": [{"paragraph": {"elements": [{"textRun": {"content": text}}]}}]}}

    def _docs_documents_batchUpdate(self, params, query, body):
        if params["documentId"] not in self.documents:
            raise ApiError(404, "Requested entity was not found.")
        self.touched.append(("document filled", params["documentId"]))
        replies = []
        for request in body.get("requests", []):
            (kind, detail), = request.items()
            text = self.documents[params["documentId"]]
            if kind == "insertText":
                index = detail.get("location", {}).get("index", 1) - 1
                self.documents[params["documentId"]] = text[:index] + detail["text"] + text[index:]
                replies.append({})
            elif kind == "replaceAllText":
                needle = detail["containsText"]["text"]
                replies.append({"replaceAllText": {"occurrencesChanged": text.count(needle)} if needle in text else {}})
                self.documents[params["documentId"]] = text.replace(needle, detail.get("replaceText", ""))
            else:
                raise ApiError(501, f"the fake does not implement the request {kind}")
        return {"documentId": params["documentId"], "replies": replies}


def _multipart_related(content_type: str, raw: bytes) -> tuple[bytes, bytes]:
    """An upload's JSON metadata and content: two parts of a multipart/related body, or the content alone (uploadType=media)."""
    if not content_type.startswith("multipart/"):
        return b"", raw
    envelope = message_from_bytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw, policy=policy.HTTP)
    metadata, content = list(envelope.iter_parts())[:2]
    return metadata.get_payload(decode=True) or b"", content.get_payload(decode=True) or b""


def _public(item: dict) -> dict:
    return {k: copy.deepcopy(v) for k, v in item.items() if not k.startswith("_")}


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


MAX_PAGE = {"size": 5000}  # Google's largest page; a test lowers it to see pagination followed


def _page(items: list, query: dict, size_key: str, default: int, name: str, shape, extra=None, token_key="nextPageToken") -> dict:
    start = int(query.get("pageToken") or 0)
    size = min(int(query.get(size_key) or default), MAX_PAGE["size"])
    chunk = items[start:start + size]
    page = {name: [shape(item) for item in chunk], **(extra or {})}
    if start + size < len(items):
        page[token_key] = str(start + size)
    return page


def _start_cell(range_: str) -> tuple[int, int]:
    """Where a range starts, 0-based (row, column): 'Tab'!B3 -> (2, 1); a whole tab starts at A1."""
    found = re.search(r"!([A-Z]+)(\d+)", range_)
    if not found:
        return 0, 0
    column = 0
    for letter in found.group(1):
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(found.group(2)) - 1, column - 1


def _formatted(cell) -> str:
    return str(cell) if not isinstance(cell, bool) else ("TRUE" if cell else "FALSE")


def _text_of(message) -> str:
    texts = []
    for part in message.walk():
        if not part.is_multipart() and part.get_content_type().startswith("text/"):
            texts.append(part.get_content())
    return "\n".join(texts)


def _gmail_matches(message: dict, q: str) -> bool:
    """Gmail's search, for the terms the backend uses: in:sent, rfc822msgid:, to:, cc:, "phrases" and {either}."""
    for term in re.findall(r"\{[^}]*\}|\"[^\"]*\"|\S+", q):
        if term.startswith("{"):
            options = re.findall(r"\"[^\"]*\"|\S+", term[1:-1])
            if not any(_gmail_term(message, option) for option in options):
                return False
        elif not _gmail_term(message, term):
            return False
    return True


def _gmail_term(message: dict, term: str) -> bool:
    headers = message["headers"]
    if term == "in:sent":
        return "SENT" in message["labelIds"]
    if term.startswith("rfc822msgid:"):
        return headers.get("message-id", "").strip("<>") == term.split(":", 1)[1].strip("<>")
    if term.startswith(("to:", "cc:")):
        return term[3:].lower() in headers.get(term[:2], "").lower()
    phrase = term.strip('"').lower()
    return phrase in (message["text"] + "\n" + "\n".join(headers.values())).lower()


def _drive_query(q: str) -> Callable[[dict], bool]:
    """Drive's query language, for the clauses the backend uses, joined by 'and'."""
    clauses = [c.strip() for c in re.split(r"\s+and\s+(?![^{]*\})", q) if c.strip()]
    tests = []
    for clause in clauses:
        if m := re.fullmatch(r"name\s*=\s*'((?:[^'\\]|\\.)*)'", clause):
            value = _unescape(m.group(1))
            tests.append(lambda f, v=value: f["name"] == v)
        elif m := re.fullmatch(r"name contains '((?:[^'\\]|\\.)*)'", clause):
            value = _unescape(m.group(1))
            tests.append(lambda f, v=value: v in f["name"])
        elif m := re.fullmatch(r"mimeType\s*=\s*'([^']*)'", clause):
            tests.append(lambda f, v=m.group(1): f["mimeType"] == v)
        elif m := re.fullmatch(r"'((?:[^'\\]|\\.)*)' in parents", clause):
            tests.append(lambda f, v=_unescape(m.group(1)): v in f["parents"])
        elif m := re.fullmatch(r"'((?:[^'\\]|\\.)*)' in writers", clause):
            tests.append(lambda f, v=_unescape(m.group(1)): any(p.get("emailAddress") == v and p.get("role") in ("writer", "owner") for p in f["_permissions"]))
        elif m := re.fullmatch(r"appProperties has \{ key='([^']*)' and value='((?:[^'\\]|\\.)*)' \}", clause):
            tests.append(lambda f, k=m.group(1), v=_unescape(m.group(2)): f["appProperties"].get(k) == v)
        elif clause == "trashed = false":
            tests.append(lambda f: not f.get("trashed"))
        else:
            raise ApiError(400, f"Invalid Value: the fake cannot read the query clause {clause!r}", "invalid")
    return lambda f: all(test(f) for test in tests)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


# ---- people using the fake Workspace in `mentorlus demo`

TALLINN = ZoneInfo("Europe/Tallinn")
DEMO_GOOGLE_SECTION = """
[google]
calendar = "primary"
board_group = "juhatus@ekl.ee"
meet_links = true

[mail]
per_second = 1000
"""


class FakeRespondents:
    """People answering the Google forms the tool made: each new response submitted once, as it arrives."""

    def __init__(self, fake: "FakeWorkspace", config) -> None:
        self.fake, self.config = fake, config
        self.submitted: dict[str, Counter] = {}
        self.last_moment = datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC"))

    def _submit(self, form_id: str, answers: dict[str, str], stamp: str, email: str = "") -> None:
        try:
            moment = datetime.strptime(stamp, "%d.%m.%Y %H:%M:%S").replace(tzinfo=TALLINN).astimezone(ZoneInfo("UTC"))
        except ValueError:
            # The demo's exports carry an odd timestamp now and then; Google stamps every response itself.
            moment = self.last_moment
        self.last_moment = moment
        self.fake.submit(form_id, answers, submitted=moment.strftime("%Y-%m-%dT%H:%M:%S.000Z"), email=email)

    def show(self, form_key: str, header: list[str], rows: list[list[str]]) -> None:
        form_id = getattr(self.config.forms, form_key).id
        done = self.submitted.setdefault(form_key, Counter())
        for row, count in (Counter(tuple(row) for row in rows) - done).items():
            for _ in range(count):
                self._submit(form_id, dict(zip(header[1:], row[1:])), row[0])
            done[row] += count

    def _survey_form(self, survey_id: str) -> dict | None:
        kind = f"survey:{self.config.programme.start.year}/küsitlused:{survey_id}"
        found = [f for f in self.fake.files.values() if f["appProperties"].get("mentorlus") == kind]
        return self.fake.forms[found[0]["id"]] if found else None

    def survey_is_open(self, survey_id: str) -> bool:
        return self._survey_form(survey_id) is not None

    def answer_survey(self, survey, rows: list[list[str]]) -> None:
        form = self._survey_form(survey.id)
        titles = [item["title"] for item in form["items"]]
        for row in rows:
            self._submit(form["formId"], dict(zip(titles, row[2:])), row[0], email=row[1])


def play_demo_on(fake: "FakeWorkspace", directory: Path, *, participants: int, seed: int, retries: int = 0):
    """`mentorlus demo` with backend.kind = "google" against this fake: set up by `mentorlus setup`, people answering its forms."""
    from automation.cli import ExitStatus, main
    from automation.clock import FixedClock
    from automation.demo import run_demo
    from automation.environment import Environment

    environ = {"MENTORLUS_GOOGLE_ENDPOINT": fake.url}

    def configure(path):
        path.write_text(path.read_text(encoding="utf-8").replace('kind = "local"', 'kind = "google"') + DEMO_GOOGLE_SECTION, encoding="utf-8")
        out = io.StringIO()
        assert main(["--config", str(path), "setup"], Environment(stdout=out, stderr=out, environ=environ)) == ExitStatus.OK, out.getvalue()

    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ=environ, clock=FixedClock.on(date(2026, 9, 1)), sleep=lambda s: None)
    return run_demo(env, directory, participants=participants, seed=seed, configure=configure,
                    respondents=lambda config: FakeRespondents(fake, config), retries=retries)
