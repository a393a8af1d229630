// SPDX-License-Identifier: GPL-2.0
/* ttdctl dump: the events of a recording, one per line. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "format/ttd_format.h"

static const char dump_usage[] =
	"usage: ttdctl dump [OPTIONS] FILE\n"
	"\n"
	"Print the events of a recording, one per line, in file order:\n"
	"\n"
	"  stream=S icount=N TYPE len=L PAYLOAD\n"
	"\n"
	"PAYLOAD is decoded when the event type has a formatter, else it is\n"
	"hex (the first 32 bytes unless --full).\n"
	"\n"
	"  -s, --stream S   only stream S (seeks through the index)\n"
	"  -f, --from N     only events at instruction count >= N\n"
	"  -t, --to M       only events at instruction count <= M\n"
	"      --full       print whole payloads\n"
	"      --streams    list the streams instead of events\n"
	"\n"
	"Exit status: 0 on success, 1 if the file is unreadable or damaged,\n"
	"2 on a usage error.\n";

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	if (!*s || *s == '-')
		return -1;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

static void print_event(const struct ttd_event *ev, int full)
{
	const struct ttd_event_type_desc *d = ttd_event_type(ev->type);
	const uint8_t *p = ev->payload;
	uint32_t n = full || ev->len <= 32 ? ev->len : 32;
	char buf[512];

	printf("stream=%u icount=%llu %s len=%u", ev->stream,
	       (unsigned long long)ev->icount, ttd_event_type_name(ev->type),
	       ev->len);
	if (d && d->format) {
		d->format(ev->payload, ev->len, buf, sizeof(buf));
		printf(" %s\n", buf);
		return;
	}
	if (ev->len)
		putchar(' ');
	for (uint32_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("%s\n", n < ev->len ? "..." : "");
}

static void list_streams(struct ttd_reader *r)
{
	for (unsigned int i = 0; i < ttd_reader_nstreams(r); i++) {
		const struct ttd_stream_info *s = ttd_reader_stream(r, i);

		printf("stream=%u kind=%s os_id=%llu parent=%u events=%llu "
		       "first=%llu last=%llu name=%s\n",
		       s->id, ttd_stream_kind_name(s->kind),
		       (unsigned long long)s->os_id, s->parent,
		       (unsigned long long)s->events,
		       (unsigned long long)s->first,
		       (unsigned long long)s->last, s->name);
	}
}

static int dump_run(int argc, char **argv)
{
	enum { OPT_FULL = 256, OPT_STREAMS };
	static const struct option opts[] = {
		{ "stream", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "full", no_argument, NULL, OPT_FULL },
		{ "streams", no_argument, NULL, OPT_STREAMS },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	uint64_t from = 0, to = UINT64_MAX, sid = TTD_ALL_STREAMS;
	int full = 0, streams = 0, c, ret;
	struct ttd_reader *r;
	struct ttd_iter *it;
	struct ttd_event ev;
	char err[256];

	optind = 1;
	while ((c = getopt_long(argc, argv, "s:f:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_u64(optarg, &sid) || sid >= UINT32_MAX) {
				ttdctl_err("dump", "bad stream id '%s'",
					   optarg);
				return TTDCTL_USAGE;
			}
			break;
		case 'f':
		case 't':
			if (parse_u64(optarg, c == 'f' ? &from : &to)) {
				ttdctl_err("dump", "bad instruction count '%s'",
					   optarg);
				return TTDCTL_USAGE;
			}
			break;
		case OPT_FULL:
			full = 1;
			break;
		case OPT_STREAMS:
			streams = 1;
			break;
		case 'h':
			fputs(dump_usage, stdout);
			return TTDCTL_OK;
		default:
			return ttdctl_usage("dump");
		}
	}
	if (optind != argc - 1)
		return ttdctl_usage("dump");
	ret = ttd_reader_open(&r, argv[optind], err, sizeof(err));
	if (ret) {
		ttdctl_err("dump", "%s: %s", argv[optind], err);
		return TTDCTL_ERR;
	}
	if (streams) {
		list_streams(r);
		ttd_reader_close(r);
		return TTDCTL_OK;
	}
	ret = ttd_iter_open(r, sid, from, to, &it);
	if (!ret && sid != TTD_ALL_STREAMS)
		ret = ttd_iter_seek(it, from);
	while (!ret && (ret = ttd_iter_next(it, &ev)) > 0) {
		print_event(&ev, full);
		ret = 0;
	}
	if (ret < 0)
		ttdctl_err("dump", "%s: %s", argv[optind],
			   ttd_reader_strerror(r));
	else if (!ttd_reader_recovery(r)->complete)
		ttdctl_err("dump", "%s: warning: incomplete recording: %s",
			   argv[optind], ttd_reader_recovery(r)->reason);
	ttd_iter_close(it);
	ttd_reader_close(r);
	return ret < 0 ? TTDCTL_ERR : TTDCTL_OK;
}

TTDCTL_COMMAND(dump, .name = "dump",
	       .summary = "print the events of a recording, one per line",
	       .usage = dump_usage, .run = dump_run);
