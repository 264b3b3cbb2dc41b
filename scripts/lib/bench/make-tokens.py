#!/usr/bin/env python3
"""Prints one signed initData line per user id, for scripts/bench's wrk scripts.

usage: make-tokens.py TOKEN_FILE RANGE...   (RANGE: ID or FIRST-LAST)
Signs with scripts/initdata's HMAC signer and the Telegram fields seed.sql gives the users
('user<id>', 'Клиент <id>' for ids up to 100000, 'Мастер <id>' above, 'ru'), so that
authenticating writes nothing. auth_date is now: the lines stay valid for a day.
"""
import importlib.machinery, importlib.util, pathlib, sys, time

HERE = pathlib.Path(__file__).resolve().parent


def load_signer():
    path = HERE.parent.parent / "initdata"
    loader = importlib.machinery.SourceFileLoader("srochno_initdata", str(path))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module.sign


def first_name(user_id: int) -> str:
    return f"Клиент {user_id}" if user_id <= 100000 else f"Мастер {user_id}"


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sign = load_signer()
    token = pathlib.Path(sys.argv[1]).read_text().strip()
    now = int(time.time())
    out = []
    for part in sys.argv[2:]:
        first, _, last = part.partition("-")
        for user_id in range(int(first), int(last or first) + 1):
            out.append(sign(token, user_id, first_name(user_id), now))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
