"""Every command's --json output: one JSON schema per result kind, numbers stay numbers, errors too.

Each registered command's ``example`` gives a quick valid invocation; its result is checked against
``json_schema(type(result))`` (derived from the dataclass), and the CLI's stdout must be exactly
that ``to_dict()`` with no NaN/Infinity tokens.
"""
import io
import json
from contextlib import redirect_stdout

import jsonschema
import pytest

from linalg_lab._results import json_schema
from linalg_lab.app.cli import build_parser, main, proofs_check_main
from linalg_lab.app.registry import commands_for

ALL = [c for tool in ("linalg-lab", "proofs-check") for c in commands_for(tool)]


def _strict(text):
    def bad(tok):
        raise AssertionError(f"non-JSON number {tok} in output")
    return json.loads(text, parse_constant=bad)


@pytest.mark.parametrize("cmd", [c for c in ALL if c.example is not None],
                         ids=lambda c: f"{c.tool} {' '.join(c.path)}")
def test_command_json_matches_schema(cmd, tmp_path):
    argv = [*cmd.path, *cmd.example(tmp_path), "--json"]
    args = build_parser(cmd.tool).parse_args(argv)
    result = args._command.run(args)
    schema = json_schema(type(result))
    data = _strict(json.dumps(result.to_dict(), allow_nan=False))
    jsonschema.validate(data, schema)
    out = io.StringIO()
    with redirect_stdout(out):
        rc = (main if cmd.tool == "linalg-lab" else proofs_check_main)(argv)
    printed = _strict(out.getvalue())
    assert printed["kind"] == type(result).__name__ and rc in (0, 1)
    jsonschema.validate(printed, schema)


def test_every_command_has_an_example():
    missing = [f"{c.tool} {' '.join(c.path)}" for c in ALL if c.example is None]
    assert not missing, f"give these commands an example (see Command.example): {missing}"


@pytest.mark.parametrize("argv", [["spectral-norm", "/nonexistent.npy", "--json"],
                                  ["--json", "spectral-norm", "--rtol", "abc", "x.npy"],
                                  ["--json"]])
def test_errors_are_json_objects(argv, capsys):
    rc = main(argv)
    out, err = capsys.readouterr()
    d = _strict(out)
    assert rc == 2 and d["kind"] == "error" and d["exit_code"] == 2 and d["reason"]
    assert err.count("\n") == 1 and err.startswith("linalg-lab: error:")
