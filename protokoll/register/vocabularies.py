"""The controlled vocabularies of the register targets, and how the municipality's German
settings map onto them.

The settings (`[ai_register]`) are German: `status`, `themes`, `publication_category`. Each
target has its own closed lists; an export maps the German value onto the target's value
and never copies the German one. The lists:

- **NL**, Algoritmeregister v1.0 (`schemas/algoritmeregister-v1_0.json`): `status` In
  ontwikkeling / In gebruik / Buiten gebruik; `category` one or more of 16 themes;
  `publication_category` Hoog-risico AI-systeem / Impactvolle algoritmes / Overige
  algoritmes. The German theme names below are this project's translations of the 16.
- **UK**, ATRS v4.0 (`schemas/atrs-v4.0-fields.json`): `phase` Pre-deployment / Private beta
  / Public beta / Production / Retired; `region` (one value; `International` for an
  organisation outside the UK).

A pilot ("in Erprobung") is "In gebruik" in the Dutch register (it processes real
sessions) and "Private beta" in the ATRS (used by staff only, not by the public).
"""

from __future__ import annotations

from typing import get_args

from protokoll.config import PublicationCategory, Region, Status

STATUSES: tuple[str, ...] = get_args(Status)
PUBLICATION_CATEGORIES: tuple[str, ...] = get_args(PublicationCategory)
REGIONS: tuple[str, ...] = get_args(Region)

NL_STATUS = {
    "in Entwicklung": "In ontwikkeling",
    "in Erprobung": "In gebruik",
    "in Betrieb": "In gebruik",
    "außer Betrieb": "Buiten gebruik",
}
UK_PHASE = {
    "in Entwicklung": "Pre-deployment",
    "in Erprobung": "Private beta",
    "in Betrieb": "Production",
    "außer Betrieb": "Retired",
}
NL_PUBLICATION_CATEGORY = {
    "Hochrisiko-KI-System": "Hoog-risico AI-systeem",
    "Algorithmus mit Auswirkungen": "Impactvolle algoritmes",
    "Sonstiger Algorithmus": "Overige algoritmes",
}
# German name of each of the Algoritmeregister's 16 themes ("Thema") → the Dutch value
NL_THEMES = {
    "Organisation und Verwaltung": "Organisatie en bedrijfsvoering",
    "Kultur und Freizeit": "Cultuur en recreatie",
    "Wirtschaft": "Economie",
    "Öffentliche Finanzen": "Overheidsfinanciën",
    "Wohnen": "Wonen",
    "Internationales": "Internationaal",
    "Migration und Integration": "Migratie en integratie",
    "Natur und Umwelt": "Natuur en milieu",
    "Bildung und Wissenschaft": "Onderwijs en wetenschap",
    "Öffentliche Ordnung und Sicherheit": "Openbare orde en veiligheid",
    "Recht": "Recht",
    "Raum und Infrastruktur": "Ruimte en infrastructuur",
    "Soziale Sicherung": "Sociale zekerheid",
    "Verkehr": "Verkeer",
    "Arbeit": "Werk",
    "Gesundheit und Pflege": "Zorg en gezondheid",
}
