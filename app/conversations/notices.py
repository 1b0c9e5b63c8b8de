"""System lines the visitor reads, in the conversation's language."""

from __future__ import annotations

NOTICES: dict[str, dict[str, str]] = {
    "counselor_left": {
        "sv": "Din samtalspartner behövde gå. Du är kvar först i kön och någon annan svarar snart.",
        "en": "Your counselor had to leave. You are first in the queue and someone else will answer soon.",
    },
    "returned_to_queue": {
        "sv": "Du är tillbaka i kön. Någon svarar så snart som möjligt.",
        "en": "You are back in the queue. Someone will answer as soon as possible.",
    },
    "idle_closed": {
        "sv": "Chatten avslutades eftersom ingen skrivit på en stund. Du är välkommen tillbaka.",
        "en": "The chat was closed because nobody wrote for a while. You are welcome back.",
    },
    "ended_by_counselor": {
        "sv": "Samtalet har avslutats.",
        "en": "The conversation has ended.",
    },
}


def notice(key: str, language: str | None) -> str:
    texts = NOTICES[key]
    return texts.get(language or "sv", texts["sv"])
