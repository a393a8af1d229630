#!/bin/bash
# Real programs recorded and replayed (TAP): Python with threads,
# subprocesses, sockets and sqlite, perl, bash pipelines, gcc, xz, tar.
# Each must replay with exit status 0 and the recorded stdout and stderr
# (notices of ttd and ttdctl aside); each is first run natively, and
# skipped when that fails (tool missing).
#
# /usr/bin/python3 by full path: a `python3` found on PATH may be a
# wrapper script (pyenv's shims are), which would record bash instead.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
plan 13
note_record
cd "$WORK" || exit 1

# real NAME CMD...: skip when CMD fails natively, else record and replay.
real()
{
	local name=$1; shift
	if ! capture "$WORK/$name.native" timeout 60 "$@"; then
		skip "$name: fails natively ($(head -c 60 "$WORK/$name.native.err"))"
		return 1
	fi
	rec_rep "$name" 0 "$@"
}

cat >threads.py <<'PYEOF'
import random, threading, time
counts, order, lock = [0] * 4, [], threading.Lock()
def work(i):
    for _ in range(2000):
        with lock:
            counts[i] += 1
            if len(order) < 40:
                order.append(i)
        if random.random() < 0.01:
            time.sleep(0)
ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
t0 = time.time()
for t in ts: t.start()
for t in ts: t.join()
print("order", "".join(map(str, order)))
print("counts", counts, "random", random.random(), random.getrandbits(64))
print("time", t0, time.monotonic(), time.perf_counter_ns())
PYEOF

cat >subproc.py <<'PYEOF'
import os, random, subprocess
print("pid", os.getpid(), "urandom", os.urandom(8).hex())
r = subprocess.run(["/bin/sh", "-c", "echo $$ $(date +%N)"], capture_output=True, text=True)
print("child said", r.stdout.strip(), "status", r.returncode)
p = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
out, _ = p.communicate(("%.17g\n" % random.random()).encode())
print("cat echoed", out.decode().strip())
print("exit", subprocess.call(["/bin/sh", "-c", "exit %d" % random.randrange(5)]))
pid = os.fork()
if pid == 0:
    print("forked child", os.getpid(), flush=True)
    os._exit(3)
print("waited", os.waitpid(pid, 0)[1] >> 8)
PYEOF

cat >sql.py <<'PYEOF'
import random, sqlite3, time
db = sqlite3.connect(":memory:")
db.execute("create table t (k integer primary key, v real, s text)")
db.executemany("insert into t (v, s) values (?, ?)",
               [(random.random(), "%08x" % random.getrandbits(32)) for _ in range(2000)])
print(db.execute("select count(*), sum(v), min(s), max(s) from t").fetchone())
print(db.execute("select s from t order by v limit 3").fetchall())
print(db.execute("select strftime('%s', 'now'), random()").fetchone(), time.time())
PYEOF

cat >sock.py <<'PYEOF'
import os, socket, threading
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
port = srv.getsockname()[1]
def serve():
    c, addr = srv.accept()
    data = b""
    while len(data) < 64:
        data += c.recv(64 - len(data))
    c.sendall(data[::-1])
    c.close()
    print("server: client port", addr[1], flush=True)
t = threading.Thread(target=serve)
t.start()
cli = socket.create_connection(("127.0.0.1", port))
msg = os.urandom(32).hex().encode()
cli.sendall(msg)
back = b""
while len(back) < 64:
    back += cli.recv(64)
t.join()
print("port", port, "sent", msg.decode(), "ok", back == msg[::-1])
PYEOF

cat >x.c <<'CEOF'
#include <stdio.h>
static unsigned int fib(unsigned int n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
int main(void)
{
	printf("%u\n", fib(20));
	return 0;
}
CEOF

mkdir -p tree/a/b tree/c
for i in $(seq 1 30); do head -c $((i * 997)) /dev/urandom >tree/f$i; done
cp x.c tree/a/b/ && seq 1 5000 >tree/c/seq.txt
{ seq 1 100000; head -c 500000 /dev/urandom | od -An -tx1; } >big.txt

real python3-threads $PY threads.py
real python3-subprocess $PY subproc.py
real python3-sqlite3 $PY sql.py
real python3-tcp $PY sock.py
real perl /usr/bin/perl -e 'srand(); printf "%.10f %d %d\n", rand(), time, $$;
	my @a = map { int(rand(1000)) } 1..20; print "@a\n";
	print scalar(localtime(0 + time)), "\n"; print "pid $$ ppid ", getppid(), "\n";'
real bash-pipeline bash -c 'seq 1 2000 | sort -R | head -5; echo $RANDOM'
real bash-procs bash -c 'echo $$ $BASHPID $RANDOM; date +%s%N;
	(echo sub $BASHPID); ls /proc | grep -c "^[0-9]"; echo $(( RANDOM % 7 ))'

# gcc: the object file is written by the recording, and not by the replay.
if capture "$WORK/gcc.native" gcc -O2 -c x.c -o native.o; then
	rec_rep gcc 0 gcc -O2 -c x.c -o x.o
	check "gcc: the recording wrote x.o as a native run does" cmp -s native.o x.o
	rm -f x.o
	replay "$WORK/gcc"
	check "gcc: replay did not write x.o" \
		eval '[ "$rep_status" = 0 ] && [ ! -e x.o ]'
else
	skip "gcc: fails natively"
	skip "gcc: the recording wrote x.o"
	skip "gcc: replay did not write x.o"
fi
real xz bash -c "xz -T2 -6 -c $WORK/big.txt | sha256sum"
real tar bash -c "tar cf - -C $WORK tree | wc -c; tar cf - -C $WORK tree | md5sum"
real sort-threads bash -c "sort --parallel=2 -S 8M -R $WORK/big.txt | head -3"
