#!/bin/bash
# A replay re-executes the recording without side effects (TAP):
#
#  (a) files written, created, renamed and unlinked, signals sent and
#      fifos written during the recording are left alone by the replay;
#  (b) the replay does not read its inputs again: with the files the
#      recorded program read changed or deleted, it prints the originals;
#      a process killed by SIGKILL replays up to where it was killed;
#  (c) damaged recordings (truncated, bytes flipped, empty, not a
#      recording at all) make the replay fail with a message on stderr,
#      not crash or hang.
. "$(dirname "$0")/lib.sh"

plan 34
note_record
cd "$WORK" || exit 1

# fingerprint FILE...: size, modification time and checksum of each.
fingerprint()
{
	local f
	for f in "$@"; do
		if [ -e "$f" ]; then
			echo "$f $(stat -c '%s %y' "$f") $(md5sum <"$f")"
		else
			echo "$f missing"
		fi
	done
}

# A directory's whole state: names, types, sizes, times, contents.
snapshot()
{
	(cd "$1" && find . -printf '%p %y %s %T@\n' | sort &&
		find . -type f -exec md5sum {} + | sort)
}

# wait_for SECONDS CMD...: poll until CMD succeeds.
wait_for()
{
	local n=$(($1 * 20)); shift
	while ! "$@"; do
		n=$((n - 1))
		[ $n -le 0 ] && return 1
		sleep 0.05
	done
}

# replayed_same PREFIX: the replay exited 0 and printed what was recorded.
replayed_same()
{
	if [ "$rep_status" != 0 ]; then
		diag "replay exited $rep_status"
		show_err "$1.rep.err" "replay stderr"
		return 1
	fi
	if ! cmp -s "$1.rec.out" "$1.rep.out"; then
		diag "replay stdout differs"
		show_diff "$1.rec.out" "$1.rep.out"
		return 1
	fi
	same_stderr "$1.rec.err" "$1.rep.err" || { diag "stderr differs"; return 1; }
}

# after_replay DESC CMD...: like check, for what a replay must not have
# done; a replay that failed proves nothing either way.
after_replay()
{
	local d=$1; shift
	if [ "$rep_status" != 0 ]; then
		not_ok "$d (the replay failed)"
	else
		check "$d" "$@"
	fi
}

recorded_ok()
{
	[ "$rec_status" = 0 ] && [ -s "$1.ttd" ] && return 0
	diag "record exited $rec_status"
	show_err "$1.rec.err" "record stderr"
	return 1
}

# (a) An append through the shell.
seq 1 3 >append.txt
record "$WORK/append" bash -c "echo \"line \$RANDOM\" >>$WORK/append.txt; echo appended"
check "append: recording ran and appended a line" \
	eval 'recorded_ok "$WORK/append" && [ "$(wc -l <append.txt)" = 4 ]'
before=$(fingerprint append.txt)
replay "$WORK/append"
check "append: replay exited 0, same output" replayed_same "$WORK/append"
after=$(fingerprint append.txt)
if [ "$before" != "$after" ]; then
	diag "before: $before"
	diag "after:  $after"
fi
after_replay "append: the file is unchanged by the replay" [ "$before" = "$after" ]

# Files, a signal to a process that outlives the recording, and a fifo.
mkdir side && echo victim >side/victim
mkfifo fifo
bash -c "trap 'echo usr1 >>$WORK/sleeper.log' USR1
	while :; do sleep 0.05; done" </dev/null >/dev/null 2>&1 &
sleeper=$!
cat fifo >fifo1.out 2>/dev/null &
reader=$!
record "$WORK/sidefx" "$RT/s_sidefx" "$WORK/side" "$sleeper" "$WORK/fifo"
# If the program never opened the fifo, nothing will: release the reader.
wait_for 3 eval '! kill -0 $reader 2>/dev/null' || kill $reader 2>/dev/null
wait $reader 2>/dev/null
wait_for 3 test -s sleeper.log
check "sidefx: recording ran" recorded_ok "$WORK/sidefx"
check "sidefx: recording created, renamed and unlinked files" \
	eval '[ -f side/renamed ] && [ -d side/newdir ] && [ ! -e side/victim ] &&
		[ ! -e side/temporary ] && [ ! -e side/created ] && [ -s side/log ]'
check "sidefx: recording signalled the sleeper" \
	eval '[ -f sleeper.log ] && [ "$(wc -l <sleeper.log)" = 1 ]'
check "sidefx: recording wrote to the fifo" \
	eval 'grep -q "^tag " fifo1.out && cmp -s fifo1.out side/log'

echo victim >side/victim
snapshot side >side.before
cat fifo >fifo2.out 2>/dev/null &
reader=$!
replay "$WORK/sidefx"
sleep 0.3
check "sidefx: replay exited 0, same output" replayed_same "$WORK/sidefx"
snapshot side >side.after
cmp -s side.before side.after || show_diff side.before side.after
after_replay "sidefx: replay left the directory alone" cmp -s side.before side.after
after_replay "sidefx: replay did not signal the sleeper" \
	eval 'kill -0 $sleeper && [ -f sleeper.log ] &&
		[ "$(wc -l <sleeper.log)" = 1 ]'
after_replay "sidefx: replay did not write to the fifo" eval '[ ! -s fifo2.out ]'
kill $reader $sleeper 2>/dev/null
wait $reader $sleeper 2>/dev/null

# (b) Inputs changed or deleted after the recording.
head -c 3000 /dev/urandom | od -An -tx1 >input.txt
cp input.txt input.orig
record "$WORK/cat" cat "$WORK/input.txt"
check "inputs: cat recorded" \
	eval 'recorded_ok "$WORK/cat" && cmp -s input.orig "$WORK/cat.rec.out"'
record "$WORK/map" "$RT/s_mapcat" "$WORK/input.txt"
check "inputs: mmap reader recorded" \
	eval 'recorded_ok "$WORK/map" && tail -n +2 "$WORK/map.rec.out" | cmp -s input.orig'
# Same size, other bytes: a mapping of the file would show the change.
tr 0-9a-f a-f0-9 <input.orig >input.txt
for state in changed deleted; do
	[ $state = deleted ] && rm -f input.txt
	for t in cat map; do
		replay "$WORK/$t"
		check "inputs: $t replayed with the file $state" \
			replayed_same "$WORK/$t"
	done
done

# A process killed by SIGKILL while recording: its stream just stops.
# The replay prints what it printed and ends there too.
record "$WORK/killed" bash -c 'echo "before $RANDOM"; kill -9 $$; echo after'
check "killed: recording ended by SIGKILL (status $rec_status)" \
	[ "$rec_status" = 137 ]
replay "$WORK/killed"
check "killed: replay exited 0, same output" replayed_same "$WORK/killed"

# (c) Damaged recordings.  Each must make the replay exit non-zero, by
# itself (not killed by a signal, not timed out), with a message.
record "$WORK/base" "$RT/r_pipe_fork"
check "damaged: base recording made" recorded_ok "$WORK/base"
size=$(stat -c %s base.ttd 2>/dev/null || echo 0)

# flip FILE OFFSET COUNT: XOR COUNT bytes at OFFSET with 0x5a.
flip()
{
	/usr/bin/perl -e 'open(F, "+<", $ARGV[0]) or die; binmode F;
		seek(F, $ARGV[1], 0); read(F, $b, $ARGV[2]);
		$b ^= "\x5a" x length($b); seek(F, $ARGV[1], 0); print F $b;' "$@"
}

# damaged NAME DESCRIPTION: replay $WORK/NAME.ttd and judge the failure.
damaged()
{
	local p=$WORK/$1 msg
	if [ "$REC_HAVE" = 0 ]; then
		not_ok "damaged: $2 (no ttdctl replay)"
		return
	fi
	replay "$p"
	msg=$(strip_notices "$p.rep.err"; grep -a -e '^ttd:' -e '^ttdctl:' "$p.rep.err")
	if [ "$rep_status" = 0 ]; then
		diag "$1: replay exited 0"
		not_ok "damaged: $2"
	elif [ "$rep_timed_out" = 1 ]; then
		diag "$1: replay timed out after ${REC_TIMEOUT}s"
		not_ok "damaged: $2"
	elif [ "$rep_status" -ge 128 ]; then
		diag "$1: replay died of signal $((rep_status - 128))"
		show_err "$p.rep.err" "replay stderr"
		not_ok "damaged: $2"
	elif [ -z "${msg//[[:space:]]/}" ]; then
		diag "$1: replay exited $rep_status without a message"
		not_ok "damaged: $2"
	elif grep -qaiE 'segmentation fault|core dumped|sanitizer|assert' "$p.rep.err"; then
		show_err "$p.rep.err" "replay stderr"
		not_ok "damaged: $2"
	else
		ok "damaged: $2 (exit $rep_status: $(head -1 "$p.rep.err" | cut -c1-60))"
	fi
}

# variant NAME: a copy of the base recording to damage, or not_ok.
variant()
{
	if [ "$size" -lt 16 ]; then
		not_ok "damaged: $1 (no base recording to damage)"
		return 1
	fi
	cp base.ttd "$1.ttd"
}

: >empty.ttd
damaged empty "zero-length file"
echo "this is not a recording" >text.ttd
damaged text "a text file"
cp /bin/true elf.ttd
damaged elf "an ELF executable"
head -c 65536 /dev/urandom >random.ttd
damaged random "64 KiB of random bytes"
damaged missing "a file that does not exist"
mkdir dir.ttd
damaged dir "a directory"
variant half && truncate -s $((size / 2)) half.ttd && damaged half "truncated to half"
variant short && truncate -s 64 short.ttd && damaged short "truncated to 64 bytes"
variant minus1 && truncate -s $((size - 1)) minus1.ttd &&
	damaged minus1 "last byte cut off"
variant header && flip header.ttd 0 16 && damaged header "header flipped"
for q in 1 2 3; do
	variant flip$q && flip flip$q.ttd $((size * q / 4)) 64 &&
		damaged flip$q "64 bytes flipped at $q/4"
done
variant zerotail && dd if=/dev/zero of=zerotail.ttd bs=1 \
	seek=$((size * 3 / 4)) count=$((size - size * 3 / 4)) conv=notrunc \
	status=none && damaged zerotail "last quarter zeroed"
