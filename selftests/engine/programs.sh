#!/bin/bash
# Real programs under the engine (TAP): stdout, stderr and the exit status
# of `ttdctl run -- CMD` must be byte-identical to running CMD natively.
# Inputs are generated deterministically in a temporary directory, with
# fixed modes and times, so that both runs see exactly the same files.
. "$(dirname "$0")/lib.sh"

plan 38
CMP_STDERR=1
cd "$WORK" || exit 1

# A text corpus and a small tree with fixed contents, modes and times.
seq 1 30000 | awk '{ printf "%d %s%d %d\n", ($1 * 7919) % 10007, "w", $1 % 97, $1 }' >corpus.txt
mkdir -p tree/a/b tree/c
for i in $(seq 1 40); do
	seq "$i" 3 $((i * 200)) >"tree/$((i % 3 == 0 ? 1 : 0))f$i.txt"
done
mv tree/1f* tree/a/ && mv tree/a/1f3*.txt tree/a/b/ && cp corpus.txt tree/c/
printf 'hello\nneedle here\n' >tree/a/b/needle.txt
chmod 0644 $(find tree -type f) && chmod 0755 $(find tree -type d)
find tree -exec touch -h -d '2001-02-03 04:05:06 UTC' {} +
head -c 300000 corpus.txt >big.bin

cat >script.sh <<'EOF'
# Pipes, subshells, command substitution, functions, arithmetic, here-docs.
set -e
count() { wc -l | tr -d ' '; }
n=$(seq 1 500 | grep -c 7)
echo "sevens: $n"
(cd tree && for f in $(find . -name '*.txt' | sort | head -5); do
	echo "$f $(count <"$f")"
done)
total=0
while read -r a b c; do total=$(( (total + a * c) % 1000003 )); done < <(head -2000 corpus.txt)
echo "total: $total"
{ echo one; echo two; } | sort -r | paste -sd,
x=$( (echo inner; exit 3) || echo "status $?")
echo "$x"
cat <<EOT | tr a-z A-Z
here $((6 * 7))
EOT
seq 1 1000 | awk '{ s += $1 } END { print s }' | (read v; echo "sum $v")
EOF

cat >prog.c <<'EOF'
#include <stdio.h>
static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
int main(void) { printf("fib(25) = %u\n", fib(25)); return 0; }
EOF

cat >hash.py <<'EOF'
import hashlib, json
data = open("corpus.txt", "rb").read()
out = {a: hashlib.new(a, data).hexdigest() for a in ("md5", "sha1", "sha256", "sha3_256", "blake2b")}
doc = json.loads(json.dumps({"hashes": out, "lines": data.count(b"\n"), "nested": [list(range(5)), {"x": None}]}))
print(json.dumps(doc, sort_keys=True, indent=1))
EOF
cat >threads.py <<'EOF'
import threading, hashlib
results = [None] * 8
def work(i):
    h = hashlib.sha256()
    for j in range(2000):
        h.update(b"%d-%d" % (i, j))
    results[i] = h.hexdigest()
ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for t in ts: t.start()
for t in ts: t.join()
lock = threading.Lock()
counter = [0]
def inc():
    for _ in range(5000):
        with lock:
            counter[0] += 1
ts = [threading.Thread(target=inc) for _ in range(8)]
for t in ts: t.start()
for t in ts: t.join()
print("\n".join(results)); print(counter[0])
EOF
cat >subproc.py <<'EOF'
import subprocess
r = subprocess.run(["sort", "-n"], input=b"3\n1\n2\n", capture_output=True)
print(r.returncode, r.stdout)
r = subprocess.run("echo err >&2; exit 7", shell=True, capture_output=True)
print(r.returncode, r.stderr)
print(subprocess.check_output(["sha256sum", "corpus.txt"]).decode().split()[0])
EOF
cat >mp.py <<'EOF'
import multiprocessing as mp
def sq(x):
    return sum(i * i for i in range(x))
if __name__ == "__main__":
    with mp.Pool(3) as p:
        print(p.map(sq, range(0, 4000, 250)))
    q = mp.Queue()
    ps = [mp.Process(target=q.put, args=(i * 11,)) for i in range(4)]
    for x in ps: x.start()
    got = sorted(q.get() for _ in ps)
    for x in ps: x.join()
    print(got, [x.exitcode for x in ps])
EOF

py=/usr/bin/python3
run_both "ls -lR on a fixed tree" ls -lR tree
run_both "sort -k2,2 -n" sort -k2,2 -k1,1n corpus.txt
run_both "sha256sum" sha256sum corpus.txt big.bin
run_both "md5sum" md5sum corpus.txt big.bin
run_both "tar cf - | sha256sum" bash -c \
	'tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - tree | sha256sum'
run_both "tar | gzip -n | sha256sum" bash -c \
	'tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - tree | gzip -n -9 | sha256sum'
run_both "find -printf" find tree -printf '%p %s %m %y\n'
run_both "bash script with pipes and subshells" bash script.sh
run_both "python3 hashlib and json" $py hash.py
run_both "python3 threading, 8 threads" $py threads.py
run_both "python3 subprocess" $py subproc.py
run_both "python3 multiprocessing" $py mp.py
# node's JIT writes, reprotects and rewrites its code: the engine must
# notice and retranslate (write protection, mprotect flushes).
cat > jit.js <<'EOF2'
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
let s = 0;
for (let i = 0; i < 30; i++) s += fib(20);
const a = [];
for (let i = 0; i < 100000; i++) a.push((i * 7919) % 1000);
a.sort((x, y) => x - y);
const o = {};
for (let i = 0; i < 5000; i++) o['k' + (i % 97)] = (o['k' + (i % 97)] | 0) + i;
console.log(s, a[500], a[99999], JSON.stringify(o).length);
EOF2
run_both "node (JIT-compiled JavaScript)" node jit.js
run_both "perl" perl -e '
	my %h; while (<>) { my @f = split; $h{$f[1]} += $f[0] }
	printf "%s %d\n", $_, $h{$_} for (sort keys %h)[0..9];
	print join(",", map { sprintf "%.3f", sqrt $_ } 1..5), "\n"' corpus.txt
run_both "gcc compiles, links and runs a program" bash -c \
	'gcc -O2 -o prog prog.c && ./prog && rm prog'
run_both "xz -T2 compress and decompress" bash -c \
	'xz -T2 -6 -c big.bin | tee big.xz | xz -dc | cmp - big.bin && sha256sum <big.xz'
run_both "bzip2 roundtrip" bash -c 'bzip2 -c corpus.txt | tee c.bz2 | bzip2 -dc | md5sum; md5sum <c.bz2'
run_both "gzip -n roundtrip" bash -c 'gzip -n -c corpus.txt | tee c.gz | gzip -dc | md5sum; md5sum <c.gz'
run_both "static binary" "$ET/static_hello" arg
run_both "glibc string functions (default variant)" "$ET/strings"
run_both "glibc string functions (AVX2)" env \
	GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD \
	"$ET/strings"
run_both "glibc string functions (SSE2)" env \
	GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX2,-AVX \
	"$ET/strings"
run_both "awk" awk '{ c[$2]++; s += $1 } END { for (k in c) n++; print n, s, NR }' corpus.txt
run_both "sed" sed -n 's/^\([0-9]*\) w\(1[0-9]\) .*/\2:\1/p' corpus.txt
run_both "grep -r" grep -rn --include='*.txt' -e needle -e '^77' tree
run_both "diff" diff -u tree/c/corpus.txt big.bin
run_both "od" od -A x -t x1z -N 4096 big.bin
run_both "wc" wc corpus.txt big.bin
run_both "cut" cut -d' ' -f2,3 corpus.txt
run_both "sort | uniq -c" bash -c 'cut -d" " -f2 corpus.txt | sort | uniq -c | sort -rn | head -20'
run_both "base64 roundtrip" bash -c 'base64 big.bin | tee b64 | base64 -d | cmp - big.bin && md5sum <b64'
run_both "date --date=@0" date -u --date=@0 '+%F %T %A %j'
run_both "seq" seq -f '%.3f' 0 0.25 1000
run_both "cat | tr | tail" bash -c 'cat corpus.txt | tr a-z A-Z | tail -n 3'
run_both "exit status of a failing command" grep -q nothing-like-this corpus.txt
STDIN=corpus.txt run_both "stdin passed through" md5sum
# The engine's own mappings and descriptors must not show (the design:
# readers of /proc/self/maps see only application state).
run_both "/proc/self/maps shows only the program's mappings" \
	awk '{ print $1, $2, $6 }' /proc/self/maps
run_both "/proc/self/fd shows only the program's descriptors" \
	ls /proc/self/fd
