#!/usr/bin/env python3
"""Whole commands timed interleaved, round by round, on a shared machine.

    python3 bench/interleave.py [--json FILE] ROUNDS NAME=COMMAND ...

Each round runs every command once, in the order given (after one warm-up
round that is not counted); the load's drift then falls on every command
alike, where hyperfine runs each command's runs one after another. Prints,
per command, the median wall time and the median CPU time (user + system)
of the command and its children. Each command runs through /bin/sh, which
adds about a millisecond to every wall time. With --json, also writes them
(seconds) and each command's exit codes to FILE, for bench/real.sh.
"""
import json
import resource
import statistics
import subprocess
import sys
import time

args = sys.argv[1:]
out = None
if args[:1] == ['--json']:
    out, args = args[1], args[2:]
rounds = int(args[0]); cmds = [a.split('=', 1) for a in args[1:]]
res = {n: ([], [], set()) for n, _ in cmds}
for r in range(rounds + 1):
    for n, c in cmds:
        ru0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.perf_counter()
        code = subprocess.run(c, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        t1 = time.perf_counter(); ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if r == 0: continue  # warm-up round
        res[n][0].append(t1 - t0); res[n][1].append((ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime))
        res[n][2].add(code)
for n, _ in cmds:
    w, c, _ = res[n]
    print(f"{n} wall {statistics.median(w)*1000:.1f} ms cpu {statistics.median(c)*1000:.0f} ms")
if out:
    with open(out, 'w') as f:
        json.dump({'rounds': rounds, 'results': [
            {'command': n, 'median': statistics.median(res[n][0]), 'cpu': statistics.median(res[n][1]),
             'exit_codes': sorted(res[n][2])} for n, _ in cmds]}, f, indent=1)
