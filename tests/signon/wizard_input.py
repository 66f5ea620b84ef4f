"""What a person types into the Person, Address and Security steps, for the wizard tests."""

from __future__ import annotations

NEW_PASSWORD = "Bright#Meadow42"

PERSON = {
    "first_name": "Maria",
    "last_name": "Rivera",
    "date_of_birth": "1984-02-29",
    "email": "maria.rivera@example.com",
    "user_type": "attorney",
}

ADDRESS = {
    "firm": "Rivera & Cruz LLP",
    "address": "150 Carlos Chardon Street",
    "city": "San Juan",
    "state": "PR",
    "county": "San Juan",
    "zip_code": "00918",
    "country": "United States",
    "phone": "787-555-0142",
}

SECURITY = {
    "username": "mrivera",
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
    "question_1": "first_pet",
    "answer_1": "Canela",
    "question_2": "birth_city",
    "answer_2": "Ponce",
}


def security(**changes: str) -> dict[str, str]:
    return {**SECURITY, **changes}
