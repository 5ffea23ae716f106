"""`sitrep keys create|list|revoke`: the API keys `sitrep serve` checks (store/api_keys.py).

`create` prints the new key once: the store keeps only its hash, so a lost key cannot be shown
again (revoke it and create another). `list` never shows secrets, only each key's first
characters. cli.py registers the group with `main.add_command(keys_group)`.

With a DuckDB store these commands open the file read-write, which DuckDB allows while a running
`sitrep serve` is idle (it lets go of the file after a few seconds without requests).
"""

from __future__ import annotations

import json
import os

import click
from rich.console import Console
from rich.table import Table

from sitrep.cli_corrections import _store, db_option


@click.group("keys")
def keys_group() -> None:
    """API keys for `sitrep serve`: needed on any host but loopback, or with --require-keys.

    \b
    Examples:
      sitrep keys create analyst               # prints the key once; keep it
      sitrep keys create viewer --read-only    # may read, may not write corrections
      sitrep keys list
      sitrep keys revoke viewer
    """


@keys_group.command("create")
@db_option
@click.argument("name")
@click.option("--read-only", is_flag=True, help="The key may read the API but not write (no corrections).")
def create_command(db: str | None, name: str, read_only: bool) -> None:
    """Make a key called NAME and print it (this once: only its hash is stored)."""
    from sitrep.store.api_keys import ApiKeyError

    with _store(db, write=True) as store:
        try:
            secret, row = store.create_api_key(name, read_only=read_only)
        except ApiKeyError as err:
            raise click.ClickException(str(err)) from err
    click.echo(secret)
    access = "read-only" if row["read_only"] else "read-write"
    click.echo(f"created {access} key {name!r}; it is shown only now. Send it as `Authorization: Bearer KEY` "
               "or `X-API-Key: KEY`, or log in with it on the dashboard.", err=True)


@keys_group.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per key.")
def list_command(db: str | None, as_json: bool) -> None:
    """List the keys (names, access, when made, revoked, last used; never the secrets)."""
    with _store(db, write=False) as store:
        rows = store.api_keys()
    if as_json:
        for row in rows:
            click.echo(json.dumps(row))
        return
    table = Table(title=f"{len(rows)} API key{'s' if len(rows) != 1 else ''}")
    for column in ("name", "key", "access", "created", "revoked", "last used"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["name"], row["prefix"], "read-only" if row["read_only"] else "read-write",
                      (row["created_at"] or "")[:19], (row["revoked_at"] or "")[:19],
                      (row["last_used_at"] or "never")[:19])
    Console(no_color=bool(os.environ.get("NO_COLOR")), width=120).print(table)


@keys_group.command("revoke")
@db_option
@click.argument("name")
def revoke_command(db: str | None, name: str) -> None:
    """Revoke key NAME: from now on the server answers it 401."""
    from sitrep.store.api_keys import ApiKeyError

    with _store(db, write=True) as store:
        try:
            row = store.revoke_api_key(name)
        except ApiKeyError as err:
            raise click.ClickException(str(err)) from err
    click.echo(f"revoked key {name!r} ({row['prefix']}) at {row['revoked_at'][:19]}")
