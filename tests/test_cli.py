"""The `unitbase` command makes its data directory, so a fresh UNITBASE_VAR_DIR just works."""

import pytest
from django.test import override_settings

from unitbase.cli import main
from unitbase.core.management.commands.serve import base_url_for


def test_command_creates_a_missing_var_directory(tmp_path, capsys):
    var_dir = tmp_path / "new" / "var"
    with override_settings(VAR_DIR=var_dir):
        assert main(["check"]) == 0
    assert var_dir.is_dir()
    assert "no issues" in capsys.readouterr().out


def test_an_unusable_var_directory_is_a_clear_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with override_settings(VAR_DIR=blocker / "var"):
        assert main(["check"]) == 2
    assert "cannot create the data directory" in capsys.readouterr().err


@pytest.mark.parametrize(("addr", "url"), [
    ("127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("127.0.0.1:8042", "http://127.0.0.1:8042"),
    ("8042", "http://127.0.0.1:8042"),
    ("0.0.0.0:9000", "http://127.0.0.1:9000"),
    ("office.local:8000", "http://office.local:8000"),
])
def test_serve_points_e_mailed_links_at_its_own_address(addr, url):
    assert base_url_for(addr) == url
