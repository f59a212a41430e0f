"""MkDocs hooks: the CLI reference written from the live `claimline` app, and a nav that lists
every page, so a command or a page added later is documented without editing this site's config.

`cli_markdown()` walks the Typer app as Click-style commands (Typer carries its own copy of
Click, so commands and parameters are read by their attributes, not their classes);
`docs/reference/cli.md` holds the marker that the generated text replaces. tests/test_docs.py
imports this file to check the result.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

MARKER = "<!-- claimline-cli-reference -->"
EXTRA_SECTION = "More"


def iter_commands(command: Any, path: tuple[str, ...] = ("claimline",)) -> Iterator[tuple[str, ...]]:
    """The path of every command and subcommand, depth first, hidden ones left out."""
    yield path
    for name, sub in _subcommands(command):
        yield from iter_commands(sub, (*path, name))


def _subcommands(command: Any) -> list[tuple[str, Any]]:
    commands = getattr(command, "commands", None) or {}
    return [(name, commands[name]) for name in sorted(commands) if not commands[name].hidden]


def live_command() -> Any:
    """The `claimline` app as a Click-style group."""
    from claimline.cli import app

    return typer.main.get_command(app)


def cli_markdown(root: Any = None) -> str:
    """One section per command: what it does, its usage, a table of its arguments and options."""
    root = root or live_command()
    sections = [_section(root, path) for path in iter_commands(root)]
    return "\n\n".join(sections) + "\n"


def _find(root: Any, path: tuple[str, ...]) -> tuple[Any, Any]:
    ctx = root.context_class(root, info_name=path[0])
    command = root
    for name in path[1:]:
        command = command.commands[name]
        ctx = command.context_class(command, info_name=name, parent=ctx)
    return command, ctx


def _section(root: Any, path: tuple[str, ...]) -> str:
    command, ctx = _find(root, path)
    title = " ".join(path)
    usage = " ".join([ctx.command_path, *command.collect_usage_pieces(ctx)])
    lines = [f"{'#' * min(len(path) + 1, 4)} `{title}`", "", _help_text(command), "", "```text", usage, "```"]
    subs = [name for name, _ in _subcommands(command)]
    if subs:
        lines += ["", "Commands: " + ", ".join(f"[`{name}`](#{_anchor((*path, name))})" for name in subs) + "."]
    rows = [_param_row(param, ctx) for param in command.params if _shown(param)]
    if rows:
        lines += ["", "| argument or option | type | default | description |", "|---|---|---|---|", *rows]
    return "\n".join(lines)


def _anchor(path: tuple[str, ...]) -> str:
    return "-".join(path)


def _help_text(command: Any) -> str:
    text = (command.help or command.short_help or "").strip()
    return text.replace("\b\n", "") or "(no description)"


def _shown(param: Any) -> bool:
    return not getattr(param, "hidden", False) and param.name != "help"


def _param_row(param: Any, ctx: Any) -> str:
    if param.param_type_name == "option":
        names = ", ".join(f"`{name}`" for name in [*param.opts, *param.secondary_opts])
        envvar = f" (env `{param.envvar}`)" if isinstance(param.envvar, str) else ""
    else:
        names = f"`{(param.name or '').upper()}`" + ("…" if param.nargs == -1 else "")
        envvar = ""
    kind = _type_name(param, ctx)
    default = "" if param.required else _default(param)
    description = _cell(getattr(param, "help", None) or "") + envvar
    return f"| {names} | {kind} | {default} | {description} |"


def _type_name(param: Any, ctx: Any) -> str:
    if getattr(param, "is_flag", False):
        return "flag"
    shown = param.display_type(ctx) if hasattr(param, "display_type") else param.type.name
    return f"`{_cell(str(shown).strip('<>'))}`"


def _default(param: Any) -> str:
    value: Any = param.default
    if value is None or value == () or value is False or callable(value):
        return ""
    if hasattr(value, "value"):  # an enum member
        value = value.value
    return f"`{_cell(str(value))}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


# MkDocs event hooks


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if MARKER in markdown:
        return markdown.replace(MARKER, cli_markdown())
    return markdown


def on_config(config: Any, **_: Any) -> Any:
    """Pages nobody has added to `nav` yet go under "More", so a new page is never orphaned."""
    nav = config.get("nav")
    if not nav:
        return config
    listed = set(_nav_files(nav))
    root = Path(config["docs_dir"])
    pages = sorted(path.relative_to(root).as_posix() for path in root.rglob("*.md")
                   if not any(part.startswith((".", "_")) for part in path.relative_to(root).parts))
    missing = [page for page in pages if page not in listed]
    if missing:
        nav.append({EXTRA_SECTION: missing})
    return config


def _nav_files(nav: Any) -> Iterator[str]:
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_files(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_files(value)
