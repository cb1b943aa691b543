"""The Japanese command line is Japanese throughout: argparse's own words (usage:, error:, the
help headings, its refusals) and the help of every option come through the catalog."""

from __future__ import annotations

import re

import pytest

from center_app.app import main


def _run(capsys, *argv):
    with pytest.raises(SystemExit) as done:
        main(list(argv))
    out, err = capsys.readouterr()
    return done.value.code, out, err


ARGPARSE_ENGLISH = re.compile(r"usage:|error:|options:|positional arguments|show this help|required:|unrecognized|invalid choice")


@pytest.mark.parametrize("argv", [["--help"], ["backup", "--help"], ["demo", "--help"], ["payments", "record", "--help"]])
def test_the_help_is_japanese(capsys, argv):
    """The defect: 「usage:」, 「options:」, 「show this help message and exit」 and our own option
    help in English on the Japanese command line."""
    status, out, _err = _run(capsys, *argv)
    assert status == 0 and out.startswith("使い方: center-app") and "オプション:" in out and "このヘルプを表示して終了する" in out
    assert not ARGPARSE_ENGLISH.search(out)
    words = [line for line in out.splitlines() if re.search(r"\b(the|of|and|made by|default)\b", line)]
    assert words == []  # no English sentence left in any option's help


@pytest.mark.parametrize(("argv", "reason"), [
    (["--bogus"], "認識できない引数です: --bogus"),
    (["payments", "record"], "次の引数が必要です: BOOKING_NO, --method"),
    (["demo", "--profile", "huge"], "'huge' は選べません"),
])
def test_usage_errors_are_japanese_with_exit_2(capsys, argv, reason):
    status, out, err = _run(capsys, *argv)
    assert status == 2 and out == "" and err.startswith("使い方: ") and "エラー: " in err and reason in err
    assert not ARGPARSE_ENGLISH.search(err)


def test_the_english_command_line_stays_english(capsys):
    status, out, _err = _run(capsys, "--lang", "en", "--help")
    assert status == 0 and out.startswith("usage: center-app") and "show this help message and exit" in out
    status, _out, err = _run(capsys, "--lang=en", "--bogus")
    assert status == 2 and "error: unrecognized arguments: --bogus" in err


def test_a_documents_language_does_not_change_the_command_lines(capsys):
    """``print receipt … --lang en`` asks for an English receipt; the clerk's messages stay Japanese."""
    status, _out, err = _run(capsys, "print", "receipt", "--lang", "en", "--bogus")
    assert status == 2 and "エラー: " in err


@pytest.mark.parametrize("language", ["th", "zh_Hans", "vi", "pt_BR", "en"])
def test_a_documents_language_after_the_command_is_the_documents_not_the_apps(language):
    """The defect: the app's own options were read from the whole command line first, so
    ``print permit … --lang th`` was refused as an app language (exit 2) and ``--lang en`` was
    taken as the app's."""
    from center_app.app import parse_arguments

    args = parse_arguments(["print", "permit", "--booking", "B2026-000001", "--output", "p.pdf", "--lang", language, "--as", "boss"])
    assert args.document_language == language and args.lang is None
    args = parse_arguments(["--lang", "en", "print", "slip", "--booking", "B2026-000001", "--output", "s.pdf", "--lang", language])
    assert args.slip_language == language and args.lang == "en"
