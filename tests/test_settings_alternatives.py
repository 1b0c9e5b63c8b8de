"""LYKTA_ALTERNATIVES (JSON) is checked when the settings are read: a wrong one stops the start, not the status."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from app.core.config import DEFAULT_ALTERNATIVES, Settings
from app.visitor.schemas import AlternativePublic


def read(monkeypatch: pytest.MonkeyPatch, value: object) -> Settings:
    monkeypatch.setenv("LYKTA_ALTERNATIVES", json.dumps(value))
    return Settings(_env_file=None, env="development")  # whatever else the environment says


def test_the_json_format_is_read_as_plain_records(monkeypatch: pytest.MonkeyPatch) -> None:
    given = [{"name": {"sv": "Jouren", "en": "On call"}, "phone": "020-123"}]
    settings = read(monkeypatch, given)
    assert settings.alternatives == given
    assert [AlternativePublic.model_validate(a).phone for a in settings.alternatives] == ["020-123"]


def test_the_default_is_what_the_visitor_status_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LYKTA_ALTERNATIVES", raising=False)
    settings = Settings(_env_file=None, env="development")
    assert settings.alternatives == DEFAULT_ALTERNATIVES
    shown = [AlternativePublic.model_validate(a) for a in settings.alternatives]
    assert [a.phone for a in shown] == ["112", "08-508 400 00", "116 111"]


@pytest.mark.parametrize(
    "wrong",
    [
        [{"name": {"sv": "Jouren"}}],  # no phone
        [{"name": "Jouren", "phone": "112"}],  # a name per language, not one
        [{"name": {"sv": "Jouren"}, "phone": "112", "url": "https://example.org"}],  # no field the pages do not show
        {"name": {"sv": "Jouren"}, "phone": "112"},  # a list
    ],
)
def test_a_wrong_setting_fails_when_read(monkeypatch: pytest.MonkeyPatch, wrong: object) -> None:
    with pytest.raises(ValidationError, match="alternatives"):
        read(monkeypatch, wrong)
