"""Google Forms: responses read by the form's own structure, survey forms made and published.

    forms = GoogleForms(api, drive, timezone="Europe/Tallinn", folder=["2026", "küsitlused"], known=Known(path))
    table = forms.read_responses(config.forms.mentor)   # header as a CSV export: Ajatempel, (E-posti aadress), questions
    link = forms.create_survey("midterm-mentors", "Vahetagasiside", ["..."], definition_json)

A form's questions (their ids and titles) and each survey's form id are kept in `Known`, a small JSON file
in the workspace, so a daily run reads only the responses: the questions are read again when a response
answers a question the file does not know (one was added), and a survey's form is searched for again when
Google no longer has it. A question renamed without any new answer keeps its old title until the next answer.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any, Sequence
from zoneinfo import ZoneInfo

from automation.backends.google.api import GoogleApi, GoogleError
from automation.backends.google.known import Known
from automation.backends.google.drive import FORM, GROUP, GoogleDrive, tagged
from automation.config import Form
from automation.domain.registrations import ResponseTable
from automation.errors import ConfigError
from automation.ports import Erased

TIMESTAMP = "Ajatempel"
EMAIL = "E-posti aadress"
EXPORT_TIME = "%d.%m.%Y %H:%M:%S"

logger = logging.getLogger(__name__)


def question_item(title: str, kind: str = "text", choices: Sequence[str] = (), required: bool = False) -> dict:
    """One Forms item: a scale of 1-5, a single choice, or a paragraph."""
    if kind == "scale":
        question = {"scaleQuestion": {"low": 1, "high": 5}}
    elif kind == "choice":
        question = {"choiceQuestion": {"type": "RADIO", "options": [{"value": choice} for choice in choices]}}
    else:
        question = {"textQuestion": {"paragraph": kind != "short"}}
    return {"title": title, "questionItem": {"question": {"required": required, **question}}}


class GoogleForms:
    makes_forms = True

    def __init__(self, api: GoogleApi, drive: GoogleDrive, *, timezone: str, folder: Sequence[str], known: Known | None = None) -> None:
        self.api, self.drive, self.zone, self.folder = api, drive, ZoneInfo(timezone), list(folder)
        self.known = known or Known()
        self._survey_links: dict[str, str] = {}  # survey id -> its link: it does not change
        self._tables: dict[str, ResponseTable] = {}

    def new_run(self) -> None:
        self._tables.clear()

    @property
    def _forms(self):
        return self.api.resource("forms", "v1", "forms")

    def location(self, form: Form) -> str:
        return form.url or f"the form {form.id}"

    def exports_nearby(self, form: Form) -> list[str]:
        return []

    def read_responses(self, form: Form) -> ResponseTable | None:
        if not form.id:
            raise ConfigError(f"the form „{form.title}“ has no id in the config", hint="run `mentorlus setup`, or copy the id from the form's edit link into its `id` key",
                              message_et=f"vormil „{form.title}“ pole seadistuses id-d",
                              hint_et="käivita `mentorlus setup` või kopeeri id vormi muutmislingist selle võtmesse `id`")
        return self.responses_of(form.id, form.title)

    def responses_of(self, form_id: str, title: str) -> ResponseTable:
        """Read once per run: several jobs read the same form."""
        if form_id not in self._tables:
            self._tables[form_id] = self._read(form_id, title)
        table = self._tables[form_id]
        return ResponseTable(header=list(table.header), rows=[list(row) for row in table.rows])

    def _read(self, form_id: str, title: str) -> ResponseTable:
        structure = self.known.get("structures", form_id) or self._structure(form_id, title)
        responses, token = [], None
        while True:
            page = self.api.idempotent(self.api.resource("forms", "v1", "forms", "responses").list(formId=form_id, pageToken=token, pageSize=5000),
                                       what=f"the responses of „{title}“")
            responses += page.get("responses", [])
            token = page.get("nextPageToken")
            if not token:
                break
        known_ids = {question_id for question_id, _ in structure["questions"]}
        answered = {question_id for response in responses for question_id in response.get("answers", {})}
        if not answered <= known_ids or (not structure["collects_email"] and any(r.get("respondentEmail") for r in responses)):
            structure = self._structure(form_id, title)  # the form was changed since its questions were read
        questions, collects_email = structure["questions"], structure["collects_email"]
        header = [TIMESTAMP, *([EMAIL] if collects_email else []), *(title for _, title in questions)]
        rows = []
        for response in sorted(responses, key=lambda r: (r.get("lastSubmittedTime", ""), r.get("responseId", ""))):
            submitted = datetime.fromisoformat(response["lastSubmittedTime"].replace("Z", "+00:00")).astimezone(self.zone)
            answers = response.get("answers", {})
            cells = [", ".join(a.get("value", "") for a in answers.get(qid, {}).get("textAnswers", {}).get("answers", [])) for qid, _ in questions]
            rows.append([submitted.strftime(EXPORT_TIME), *([response.get("respondentEmail", "")] if collects_email else []), *cells])
        return ResponseTable(header=header, rows=rows)

    def _structure(self, form_id: str, title: str, found: dict | None = None) -> dict[str, Any]:
        """The form's questions (id, title) and whether it collects addresses, read from Google and kept."""
        found = found or self.api.idempotent(self._forms.get(formId=form_id), what=f"the form „{title}“")
        structure = {
            "questions": [[item["questionItem"]["question"]["questionId"], item.get("title", "")]
                          for item in found.get("items", []) if "questionItem" in item],
            "collects_email": found.get("settings", {}).get("emailCollectionType") in ("VERIFIED", "RESPONDER_INPUT"),
        }
        self.known.put("structures", form_id, structure)
        return structure

    def create(self, title: str, description: str, items: Sequence[dict], kind: str, folder: Sequence[str], *, email_collection: str) -> dict:
        """Make a form, tag it as the tool's, fill and publish it; a re-run finds it and completes what is missing.

        `email_collection`: RESPONDER_INPUT asks for the address without a Google sign-in (participants
        need no Google account); DO_NOT_COLLECT where the form asks for it as a question.
        """
        found = self.drive.find_tagged(kind)
        # Made through Drive, tagged in the same request: a dropped connection leaves a form the next run finds, never a second one.
        form_id = found["id"] if found else self.drive.create(title, FORM, self.drive.folder(folder), kind)["id"]
        structure = self.api.idempotent(self._forms.get(formId=form_id), what=f"the form „{title}“")
        complete = bool(structure.get("items"))
        if not complete:
            requests = [
                {"updateFormInfo": {"info": {"title": title, "description": description}, "updateMask": "title,description"}},
                {"updateSettings": {"settings": {"emailCollectionType": email_collection}, "updateMask": "emailCollectionType"}},
                *({"createItem": {"item": item, "location": {"index": index}}} for index, item in enumerate(items)),
            ]
            self.api.idempotent(self._forms.batchUpdate(formId=form_id, body={"requests": requests}), what=f"adding the questions of „{title}“")
        if not structure.get("publishSettings", {}).get("publishState", {}).get("isPublished"):
            # Forms made through the API may start unpublished: nobody could answer.
            self.api.idempotent(
                self._forms.setPublishSettings(formId=form_id, body={"publishSettings": {"publishState": {"isPublished": True, "isAcceptingResponses": True}}}),
                what=f"publishing „{title}“",
            )
        if not complete:
            structure = self.api.idempotent(self._forms.get(formId=form_id), what=f"the form „{title}“")  # with its new questions' ids
        self._structure(form_id, title, found=structure)
        return structure

    def _kind(self, survey_id: str) -> str:
        """Each year's survey is its own form: the year is in the folder."""
        return f"survey:{'/'.join(self.folder)}:{survey_id}"

    def create_survey(self, survey_id: str, title: str, questions: Sequence[str], definition: str) -> str:
        if survey_id in self._survey_links:
            return self._survey_links[survey_id]
        survey = json.loads(definition)
        items = [question_item(asked, q.get("type", "text"), q.get("choices", ())) for asked, q in zip(questions, survey.get("questions", []))]
        form = self.create(title, survey.get("introduction", ""), items, self._kind(survey_id), self.folder, email_collection="RESPONDER_INPUT")
        self.known.put("surveys", self._kind(survey_id), form["formId"])
        self._survey_links[survey_id] = form.get("responderUri", "")
        return self._survey_links[survey_id]

    def survey_responses(self, survey_id: str, responses: str = "") -> ResponseTable | None:
        kind = self._kind(survey_id)
        form_id = self.known.get("surveys", kind)
        if form_id is not None:
            try:
                return self.responses_of(form_id, survey_id)
            except GoogleError as error:
                if error.status != 404:
                    raise
                logger.info("the survey form %s is gone from Google; looking for it again", form_id)
                self.known.put("surveys", kind, None)
        found = self.drive.find_tagged(kind)
        if found is None:
            return None
        self.known.put("surveys", kind, found["id"])
        return self.responses_of(found["id"], survey_id)

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]:
        # The Forms API cannot delete a response; the coordinator does it in the form.
        return [Erased("Google Forms", "forms_by_hand", detail=email)]

    def delete_all(self) -> list[Erased]:
        """Retention: the survey forms go whole (with their responses); the registration forms' responses are deleted by hand."""
        surveys = list(self.drive.search(tagged("survey", key=GROUP)))
        files = self.api.resource("drive", "v3", "files")
        for item in surveys:
            self.api.idempotent(files.delete(fileId=item["id"], supportsAllDrives=True), what=f"deleting the survey form „{item['name']}“")
        notes = [Erased("Google Forms", "survey_forms", len(surveys))] if surveys else []
        return notes + [Erased("Google Forms", "forms_by_hand")]
