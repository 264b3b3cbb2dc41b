#!/usr/bin/env python3
"""Posts orders for scripts/bench-notify (not a test) and measures what the notifications cost.

usage:
  notify-driver.py latency BASE TOKENS CITIES RECORD COUNT PER_SECOND
      posts COUNT orders (category Сантехника, the i-th city of CITIES) at PER_SECOND, then waits
      for the fake Bot API's RECORD to show each order and prints the delay from just before the
      POST to the call's arrival: p50, p90, p99, max (ms)
  notify-driver.py creates BASE TOKENS COUNT CATEGORY CITY [SAMPLES]
      posts COUNT orders one after another on one connection and prints the create latency:
      mean, p50, p90, p99 (ms); with SAMPLES, also appends each latency (ms) to that file
  notify-driver.py summary SAMPLES
      prints the same figures for every latency in SAMPLES
  notify-driver.py post BASE TOKENS CATEGORY CITY
      posts one order and prints its id
TOKENS holds one signed initData a line (the clients); contacts are unique per run.
"""
import http.client
import json
import random
import statistics
import sys
import time
import urllib.parse

RUN = random.randrange(10, 99)
COUNTER = [0]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Poster:
    def __init__(self, base, tokens_file):
        url = urllib.parse.urlsplit(base)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        self.tokens = [line.strip() for line in open(tokens_file) if line.strip()]

    def post(self, category, city):
        COUNTER[0] += 1
        n = COUNTER[0]
        body = json.dumps({
            "category": category, "city": city, "contact": f"+79{RUN:02d}{n:07d}",
            "description": f"Срочно нужен мастер, заказ {n} из бенчмарка уведомлений",
        }, ensure_ascii=False).encode()
        token = self.tokens[n % len(self.tokens)]
        started = time.time_ns()
        self.connection.request("POST", "/api/orders", body, {
            "Authorization": "Bearer " + token, "Content-Type": "application/json"})
        response = self.connection.getresponse()
        answer = response.read()
        finished = time.time_ns()
        if response.status != 201:
            sys.exit(f"POST /api/orders answered {response.status}: {answer[:200]!r}")
        return json.loads(answer)["id"], started, finished


def read_record(path):
    arrivals = {}
    with open(path) as record:
        for line in record:
            received, _chat, orders = line.split()
            for order in orders.split(","):
                arrivals.setdefault(order, int(received))
    return arrivals


def latency(base, tokens, cities_file, record, count, per_second):
    cities = [line.strip() for line in open(cities_file) if line.strip()]
    poster = Poster(base, tokens)
    posted = {}
    interval = 1 / per_second
    next_at = time.monotonic()
    for i in range(count):
        order, started, _ = poster.post("Сантехника", cities[i % len(cities)])
        posted[order] = started
        next_at += interval
        time.sleep(max(0, next_at - time.monotonic()))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        arrivals = read_record(record)
        if all(order in arrivals for order in posted):
            break
        time.sleep(0.2)
    arrivals = read_record(record)
    delays = [(arrivals[order] - started) / 1e6 for order, started in posted.items() if order in arrivals]
    missing = len(posted) - len(delays)
    print(f"orders={count} per_second={per_second} received={len(delays)} missing={missing} "
          f"p50_ms={percentile(delays, 0.5):.1f} p90_ms={percentile(delays, 0.9):.1f} "
          f"p99_ms={percentile(delays, 0.99):.1f} max_ms={max(delays):.1f}")


def summary(times):
    return (f"creates={len(times)} mean_ms={statistics.fmean(times):.2f} p50_ms={percentile(times, 0.5):.2f} "
            f"p90_ms={percentile(times, 0.9):.2f} p99_ms={percentile(times, 0.99):.2f}")


def creates(base, tokens, count, category, city, samples=None):
    poster = Poster(base, tokens)
    times = []
    for _ in range(count):
        _, started, finished = poster.post(category, city)
        times.append((finished - started) / 1e6)
    if samples:
        with open(samples, "a") as out:
            out.write("".join(f"{t:.3f}\n" for t in times))
    print(summary(times))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    if command == "latency" and len(args) == 6:
        latency(args[0], args[1], args[2], args[3], int(args[4]), float(args[5]))
    elif command == "creates" and len(args) in (5, 6):
        creates(args[0], args[1], int(args[2]), args[3], args[4], args[5] if len(args) == 6 else None)
    elif command == "summary" and len(args) == 1:
        print(summary([float(line) for line in open(args[0]) if line.strip()]))
    elif command == "post" and len(args) == 4:
        print(Poster(args[0], args[1]).post(args[2], args[3])[0])
    else:
        sys.exit(__doc__)


main()
