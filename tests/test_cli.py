"""The `unitbase` command makes its data directory, so a fresh UNITBASE_VAR_DIR just works."""

from django.test import override_settings

from unitbase.cli import main


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
