"""Print the README's settings table from the Settings model (the single source of truth)."""

from __future__ import annotations

from pydantic import SecretStr

from vocabulary.settings import Settings

NOTES = {
    "data_dir": "per-user data dir (e.g. `~/.local/share/mediabrain`)",
    "database_url": "SQLite file in the data dir",
    "redis_url": "unset: jobs run in-process",
    "secret_key": "generated into the data dir (SQLite only)",
}


def rows() -> list[tuple[str, str, str]]:
    out = []
    for name, field in Settings.model_fields.items():
        env = f"MEDIABRAIN_{name.upper()}"
        default = NOTES.get(name)
        if default is None:
            value = field.default
            if value is None:
                default = "unset"
            elif isinstance(value, SecretStr):
                default = "(secret)"
            else:
                default = f"`{value}`"
        out.append((env, default, field.description or ""))
    return out


if __name__ == "__main__":
    print("| Setting | Default | Notes |")
    print("|---|---|---|")
    for env, default, note in rows():
        print(f"| `{env}` | {default} | {note} |")
