# A dictionary-heavy loop for the reverse-debugging benchmark.
import sys
n = int(sys.argv[1])
d = {}
for i in range(n):
    d[i % 1000] = d.get(i % 1000, 0) + i * i
print(sum(d.values()))
