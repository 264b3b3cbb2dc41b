#!/usr/bin/env python3
"""Start-up time of the worker pool: exec → first 200 answer through nginx.

usage: startup.py URL RUNS LOGFILE COMMAND...
Runs COMMAND (environment inherited) RUNS times. Each time it polls URL about every
millisecond from just before the exec until it answers 200, records the milliseconds, then
stops COMMAND with SIGTERM and waits for it. Prints {"runs_ms": [...], "median_ms": m}.
"""
import http.client, json, signal, statistics, subprocess, sys, time, urllib.parse


def answers(host, port, path):
    connection = http.client.HTTPConnection(host, port, timeout=1)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    url = urllib.parse.urlsplit(sys.argv[1])
    runs, log, command = int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    times = []
    with open(log, "ab") as stderr:
        for _ in range(runs):
            if answers(url.hostname, url.port, url.path):
                sys.exit("startup.py: something already answers " + sys.argv[1])
            started = time.monotonic()
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr)
            try:
                while not answers(url.hostname, url.port, url.path):
                    if process.poll() is not None:
                        sys.exit(f"startup.py: {command[0]} exited with {process.returncode}")
                    if time.monotonic() - started > 10:
                        sys.exit("startup.py: no answer within 10 s")
                    time.sleep(0.001)
                times.append(round((time.monotonic() - started) * 1000, 1))
            finally:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    print(json.dumps({"runs_ms": times, "median_ms": statistics.median(times)}))


if __name__ == "__main__":
    main()
