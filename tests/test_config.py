"""Settings: defaults, config file, environment, and clear errors for a bad file."""
from pathlib import Path

import pytest

from incidents.config import SETTINGS, load_settings
from incidents.errors import IncidentsError

README = Path(__file__).resolve().parent.parent / "README.md"


def test_environment_overrides_config_file(tmp_path, monkeypatch):
    config = tmp_path / "incidents.toml"
    config.write_text('db = "sqlite:///from-file.db"\nspacy_model = "en_core_web_md"\n')
    monkeypatch.setenv("INCIDENTS_DB", "sqlite:///from-env.db")
    settings = load_settings(config)
    assert settings.db == "sqlite:///from-env.db"
    assert settings.spacy_model == "en_core_web_md"


def test_explicit_db_beats_environment(monkeypatch):
    monkeypatch.setenv("INCIDENTS_DB", "sqlite:///from-env.db")
    assert load_settings(db="sqlite:///given.db").db == "sqlite:///given.db"


def test_bad_toml_names_file_and_line(tmp_path):
    config = tmp_path / "broken.toml"
    config.write_text('db = "sqlite:///ok.db"\nspacy_model = \n')
    with pytest.raises(IncidentsError, match=r"broken\.toml.*line 2"):
        load_settings(config)


def test_unknown_setting_is_refused_with_the_known_ones(tmp_path):
    config = tmp_path / "incidents.toml"
    config.write_text('dbb = "sqlite:///x.db"\n')
    with pytest.raises(IncidentsError, match=r"unknown setting 'dbb'.*db"):
        load_settings(config)


def test_missing_config_file_is_named(tmp_path):
    with pytest.raises(IncidentsError, match="nope.toml"):
        load_settings(tmp_path / "nope.toml")


def test_secret_settings_are_refused_from_files(tmp_path):
    secrets = [s for s in SETTINGS if s.secret]
    if not secrets:
        pytest.skip("no secret settings declared")
    config = tmp_path / "incidents.toml"
    config.write_text(f'{secrets[0].name} = "hunter2"\n')
    with pytest.raises(IncidentsError, match=secrets[0].env):
        load_settings(config)


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented_in_the_readme(setting):
    readme = README.read_text(encoding="utf-8")
    assert f"`{setting.name}`" in readme
    if setting.env:
        assert f"`{setting.env}`" in readme
