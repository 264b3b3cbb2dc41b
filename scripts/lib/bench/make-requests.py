#!/usr/bin/env python3
"""Request files for replay.lua: one "PATH" or "PATH<TAB>INITDATA" a line.

  make-requests.py filtered CITIES               every category × city list, anonymous
  make-requests.py order-get IDS TOKENS          GET /api/orders/{id}, each id by a signed user
  make-requests.py users-me TOKENS               GET /api/users/me, one line per user
  make-requests.py mix IDS TOKENS CITIES         the soak's mix: 4 me, 3 order, 2 filtered, 1 list
Files are read as one value a line. The order of lines is shuffled with a fixed seed, so
consecutive requests hit different rows and every run sends the same sequence.
"""
import random, sys, urllib.parse

CATEGORIES = ["Сантехника", "Электрика", "Бытовой ремонт", "Клининг", "Сборка/установка",
              "Бытовая техника", "Другое"]


def values(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def filtered(cities):
    paths = [f"/api/orders?category={urllib.parse.quote(c)}&city={urllib.parse.quote(city)}"
             for c in CATEGORIES for city in cities]
    random.Random(7).shuffle(paths)
    return paths


def order_get(ids, tokens):
    count = max(len(ids), len(tokens))
    rng = random.Random(11)
    ids, tokens = ids[:], tokens[:]
    rng.shuffle(ids)
    rng.shuffle(tokens)
    return [f"/api/orders/{ids[i % len(ids)]}\t{tokens[i % len(tokens)]}" for i in range(count)]


def users_me(tokens):
    lines = [f"/api/users/me\t{t}" for t in tokens]
    random.Random(13).shuffle(lines)
    return lines


def mix(ids, tokens, cities):
    """Per 10 requests: 4 users/me, 3 orders by id, 2 filtered lists, 1 default list."""
    me, get, lists = users_me(tokens), order_get(ids, tokens), filtered(cities)
    out = []
    for i in range(max(len(me), len(get)) // 3):
        m, g, f = 4 * i, 3 * i, 2 * i
        out += [me[m % len(me)], get[g % len(get)], lists[f % len(lists)], me[(m + 1) % len(me)],
                get[(g + 1) % len(get)], "/api/orders", me[(m + 2) % len(me)], get[(g + 2) % len(get)],
                lists[(f + 1) % len(lists)], me[(m + 3) % len(me)]]
    return out


def main():
    commands = {"filtered": (filtered, 1), "order-get": (order_get, 2), "users-me": (users_me, 1), "mix": (mix, 3)}
    if len(sys.argv) < 2 or sys.argv[1] not in commands or len(sys.argv) - 2 != commands[sys.argv[1]][1]:
        sys.exit(__doc__)
    function = commands[sys.argv[1]][0]
    sys.stdout.write("\n".join(function(*map(values, sys.argv[2:]))) + "\n")


if __name__ == "__main__":
    main()
