# SPDX-License-Identifier: GPL-2.0
# A pure-Python CPU workload for the engine benchmark: the interpreter's
# dispatch loop, integer arithmetic, dict and list operations, string
# formatting.  Usage: python3 pyloop.py [N]; prints a checksum.
import sys


def churn(n):
    counts = {}
    total = 0
    for i in range(n):
        total += i * i % 7
        key = i % 1021
        counts[key] = counts.get(key, 0) + i
        if i % 97 == 0:
            total ^= len(str(i)) << (i % 13)
    acc = 0
    for k, v in sorted(counts.items()):
        acc = (acc * 31 + k * v) % 1000000007
    return total, acc


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000000
    total, acc = churn(n)
    words = ["w%d" % (i % 5000) for i in range(n // 20)]
    freq = {}
    for w in words:
        freq[w] = freq.get(w, 0) + 1
    top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    print("pyloop", n, total, acc, top)


main()
