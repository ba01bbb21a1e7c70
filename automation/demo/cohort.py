"""A realistic synthetic cohort: Estonian names, workplaces, regions, a members register,
and the flaws real form exports have (duplicates, bad addresses, odd dates, stray spaces).

    cohort = generate_cohort(participants=120, seed=1, opens=date(2026, 10, 5), closes=date(2026, 11, 15))
    cohort.mentor_rows  # [(submitted_at, row)], in the order of the form's questions
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

FIRST_NAMES = [
    "Mari", "Tiina", "Kadri", "Triin", "Külli", "Ülle", "Õie", "Jüri", "Tõnis", "Märt", "Sirje", "Maarja",
    "Liisa", "Katrin", "Ene", "Siiri", "Kärt", "Mirjam", "Pille", "Ave", "Anneli", "Merike", "Tõnu", "Ülo",
    "Kristel", "Helve", "Reet", "Aivar", "Andres", "Evelin", "Hele", "Jaanika", "Küllike", "Mõnika", "Õnne",
    "Piret", "Rutt", "Signe", "Tuuli", "Väino", "Žanna", "Šarlota", "Kätlin", "Getter", "Marju", "Heli",
]
LAST_NAMES = [
    "Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel", "Lõhmus", "Jõgi",
    "Mänd", "Õunapuu", "Türk", "Šmidt", "Põder", "Kõiv", "Rätsep", "Jürgenson", "Sääsk", "Käär", "Vaher",
    "Lepik", "Kivi", "Laur", "Raudsepp", "Kaasik", "Luik", "Org", "Hallik", "Küünarpuu", "Žukova", "Männik",
    "Tõnisson", "Ärm", "Pihlak", "Valk", "Kuusk", "Nõmm", "Leppik", "Põld",
]
WORKPLACES = [
    ("Eesti Töötukassa, Tallinna osakond", "Harjumaa", "avalik"),
    ("Eesti Töötukassa, Tartu osakond", "Tartumaa", "avalik"),
    ("Eesti Töötukassa, Ida-Virumaa osakond", "Ida-Virumaa", "avalik"),
    ("Rajaleidja keskus, Pärnu", "Pärnumaa", "avalik"),
    ("Rajaleidja keskus, Viljandi", "Viljandimaa", "avalik"),
    ("Tartu Ülikooli karjäärikeskus", "Tartumaa", "avalik"),
    ("Tallinna Ülikool", "Harjumaa", "avalik"),
    ("TalTechi karjäärinõustamine", "Harjumaa", "avalik"),
    ("Pärnu Kutsehariduskeskus", "Pärnumaa", "avalik"),
    ("Narva Gümnaasium", "Ida-Virumaa", "avalik"),
    ("Võru Kesklinna Kool", "Võrumaa", "avalik"),
    ("Saaremaa Ühisgümnaasium", "Saaremaa", "avalik"),
    ("Karjäärikompass OÜ", "Harjumaa", "era"),
    ("Personalipartner AS", "Harjumaa", "era"),
    ("Tööotsija Tugi MTÜ", "Tartumaa", "kolmas"),
    ("Noorte Tugila MTÜ", "Läänemaa", "kolmas"),
]
CERTIFICATES = ["karjäärispetsialist", "karjäärinõustaja", "karjääriinfo spetsialist", "personalispetsialist", "personalijuht"]
TOPICS = [
    "grupinõustamine", "karjääriinfo", "eneseanalüüs", "tööotsingu nõustamine", "noortega töö",
    "täiskasvanute nõustamine", "läbipõlemise ennetamine", "supervisioon ja kovisioon", "digivahendid nõustamises",
]
GOALS = [
    "Soovin kindlust keeruliste kliendijuhtumitega toimetulekul ja oma nõustamisoskuste süvendamisel.",
    "Tahan õppida grupinõustamise meetodeid ja saada tagasisidet oma töö kohta kogenud kolleegilt.",
    "Alustasin karjäärinõustajana eelmisel aastal ning soovin leida oma nõustamisstiili ja hoida end töökorras.",
    "Soovin paremini planeerida oma professionaalset arengut ja valmistuda kutseeksamiks.",
    "Tahan arendada oskust töötada noortega, kes ei tea, mida edasi õppida, ja kaasata lapsevanemaid.",
    "Eesmärk on õppida ennastjuhtivaks spetsialistiks ja vältida läbipõlemist.",
]
# The demo's forms: question title as the form shows it -> the field it fills (config forms.*.questions).
COMMON_QUESTIONS = {
    "E-posti aadress": "email",
    "Ees- ja perekonnanimi": "name",
    "Telefon": "phone",
    "Töökoht": "workplace",
    "Sektor": "sector",
    "Piirkond": "region",
    "Suhtluskeel": "language",
    "Keeled, milles saan kohtuda": "languages",
    "Eelistatud kohtumise viis": "meeting_mode",
    "Olen valmis kovisiooni juhtima": "facilitator_willing",
}
MENTOR_QUESTIONS = {
    **COMMON_QUESTIONS,
    "Kehtiv kutsetunnistus": "certificates",
    "Töökogemus karjäärispetsialistina (aastates)": "experience_years",
    "Millal läbisid KNÜ mentorite koolituse? (aasta)": "training_year",
    "Osalen tänavusel mentorite koolitusel": "attends_training",
    "Teemad, milles saan menteed toetada": "strengths",
    "Mitut menteed oled valmis toetama?": "capacity",
    "Nõustun mentorprogrammi koostööpõhimõtetega": "agrees_to_principles",
}
MENTEE_QUESTIONS = {
    **COMMON_QUESTIONS,
    "Töökogemus karjäärispetsialistina (aastates)": "experience_years",
    "Minu professionaalse arengu eesmärgid": "goals",
    "Teemad, milles soovin areneda": "development_areas",
    "Olen valmis tasuma programmi osalustasu": "agrees_to_fee",
    "Nõustun mentorprogrammi koostööpõhimõtetega": "agrees_to_principles",
}
MENTOR_HEADER = ["Ajatempel", *MENTOR_QUESTIONS]
MENTEE_HEADER = ["Ajatempel", *MENTEE_QUESTIONS]
MEMBERS_HEADER = ["Nimi", "E-post", "Liikmemaks tasutud (aasta)"]
EXPORT_TIME_FORMAT = "%d.%m.%Y %H:%M:%S"


@dataclass
class Person:
    name: str
    email: str
    workplace: str
    sector: str
    region: str
    language: str
    phone: str
    languages: str
    meeting_mode: str
    facilitator_willing: str


@dataclass
class Cohort:
    mentors: list[Person] = field(default_factory=list)
    mentees: list[Person] = field(default_factory=list)
    members: list[list[str]] = field(default_factory=list)
    mentor_rows: list[tuple[datetime, list[str]]] = field(default_factory=list)
    mentee_rows: list[tuple[datetime, list[str]]] = field(default_factory=list)


def ascii_name(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isascii() and (ch.isalnum() or ch in ".-"))


def generate_cohort(participants: int, seed: int, opens: date, closes: date, fee_year: int) -> Cohort:
    rng = random.Random(seed)
    cohort = Cohort()
    used_emails: set[str] = set()

    def person() -> Person:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        base = f"{ascii_name(first)}.{ascii_name(last)}"
        email, number = f"{base}@example.ee", 1
        while email in used_emails:
            number += 1
            email = f"{base}{number}@example.ee"
        used_emails.add(email)
        workplace, region, sector = rng.choice(WORKPLACES)
        language = "en" if rng.random() < 0.08 else "et"
        spoken = ["inglise"] + (["eesti"] if rng.random() < 0.5 else []) if language == "en" else (
            ["eesti"] + (["vene"] if rng.random() < 0.2 else []) + (["inglise"] if rng.random() < 0.3 else [])
        )
        mode = rng.choices(["Silmast silma", "Videokõne", "Silmast silma, Videokõne"], weights=[3, 3, 4])[0]
        phone = f"+372 5{rng.randint(100000, 9999999)}"
        willing = rng.choices(["Jah", "Ei", ""], weights=[4, 2, 4])[0]
        return Person(f"{first} {last}", email, workplace, sector, region, language, phone, ", ".join(spoken), mode, willing)

    mentor_count = max(1, round(participants * 0.5))
    cohort.mentors = [person() for _ in range(mentor_count)]
    cohort.mentees = [person() for _ in range(max(1, participants - mentor_count))]

    for someone in cohort.mentors + cohort.mentees:
        roll = rng.random()
        if roll < 0.03:
            continue  # not in the register: registered with another address, or not a member
        paid = fee_year - 1 if roll < 0.08 else fee_year + rng.choice([0, 0, 1])
        cohort.members.append([someone.name, someone.email, str(paid)])
    for _ in range(participants // 2):
        someone = person()
        cohort.members.append([someone.name, someone.email, str(fee_year - rng.choice([0, 0, 0, 1]))])
    rng.shuffle(cohort.members)

    window = (closes - opens).days + 1

    def moment() -> datetime:
        day = opens + timedelta(days=min(window - 1, int(rng.triangular(0, window, window * 0.8))))
        return datetime.combine(day, time(rng.randint(7, 22), rng.randint(0, 59), rng.randint(0, 59)))

    for mentor in cohort.mentors:
        cohort.mentor_rows += _with_flaws(rng, moment(), mentor, _mentor_answers(rng, mentor, fee_year), MENTOR_QUESTIONS, closes)
    for mentee in cohort.mentees:
        cohort.mentee_rows += _with_flaws(rng, moment(), mentee, _mentee_answers(rng, mentee), MENTEE_QUESTIONS, closes)
    cohort.mentor_rows.sort(key=lambda pair: pair[0])
    cohort.mentee_rows.sort(key=lambda pair: pair[0])
    return cohort


def _common(someone: Person) -> dict[str, str]:
    return {
        "email": someone.email,
        "name": someone.name,
        "phone": someone.phone,
        "workplace": someone.workplace,
        "sector": someone.sector,
        "region": someone.region,
        "language": "English" if someone.language == "en" else "eesti",
        "languages": someone.languages,
        "meeting_mode": someone.meeting_mode,
        "facilitator_willing": someone.facilitator_willing,
    }


def _mentor_answers(rng: random.Random, mentor: Person, fee_year: int) -> dict[str, str]:
    trained_before = rng.random() < 0.3
    return {
        **_common(mentor),
        "certificates": ", ".join(rng.sample(CERTIFICATES, rng.choice([1, 1, 2]))) if rng.random() > 0.08 else "sotsiaaltöötaja",
        "experience_years": str(rng.randint(2, 4) if rng.random() < 0.08 else rng.randint(5, 25)),
        "training_year": str(rng.randint(fee_year - 4, fee_year - 1)) if trained_before else "",
        "attends_training": "" if trained_before else ("Ei" if rng.random() < 0.03 else "Jah"),
        "strengths": ", ".join(rng.sample(TOPICS, rng.randint(1, 4))),
        "capacity": "2" if rng.random() < 0.2 else "1",
        "agrees_to_principles": "" if rng.random() < 0.02 else "Nõustun",
    }


def _mentee_answers(rng: random.Random, mentee: Person) -> dict[str, str]:
    return {
        **_common(mentee),
        "experience_years": str(rng.randint(0, 6)),
        "goals": "areneda" if rng.random() < 0.05 else rng.choice(GOALS),
        "development_areas": ", ".join(rng.sample(TOPICS, rng.randint(1, 3))),
        "agrees_to_fee": rng.choices(["Jah", "Ei", ""], weights=[95, 3, 2])[0],
        "agrees_to_principles": "Nõustun",
    }


def form_row(questions: dict[str, str], stamp: str, answers: dict[str, str]) -> list[str]:
    """A row as the form's export has it: the time, then each question's answer in the form's order."""
    return [stamp] + [answers.get(field, "") for field in questions.values()]


def _with_flaws(rng: random.Random, submitted: datetime, someone: Person, answers: dict[str, str], questions: dict[str, str], closes: date) -> list[tuple[datetime, list[str]]]:
    """The rows one person leaves in the export, with the flaws real exports have."""
    answers = dict(answers)
    if rng.random() < 0.10:
        answers["email"] = f"  {someone.email.title()} "  # stray spaces and capitals
    elif rng.random() < 0.015:
        answers["email"] = someone.email.split("@")[0] + "@"  # a broken address
    stamp = submitted.strftime(EXPORT_TIME_FORMAT)
    if rng.random() < 0.01:
        stamp = submitted.strftime("%d.%m.%Y") + " kell " + submitted.strftime("%H")  # an odd date
    rows = [(submitted, form_row(questions, stamp, answers))]
    if rng.random() < 0.05:
        later = min(submitted + timedelta(days=rng.randint(1, 10)), datetime.combine(closes, time(23, 0)))
        corrected = {**answers, "region": rng.choice(WORKPLACES)[1]}  # they corrected their region
        rows.append((later, form_row(questions, later.strftime(EXPORT_TIME_FORMAT), corrected)))
    return rows
