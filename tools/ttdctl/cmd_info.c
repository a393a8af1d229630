// SPDX-License-Identifier: GPL-2.0
/* ttdctl info: summary of a recording, for people (default) or scripts. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "format/ttd_format.h"

static const char info_usage[] =
	"usage: ttdctl info [--json] FILE\n"
	"\n"
	"Summarise a recording: host and command line, processes and threads\n"
	"with their instruction counts, events by type, sizes and compression\n"
	"ratio.  Reads every chunk, so it also checks the whole file.  A\n"
	"recording whose writer did not finish is read up to its last intact\n"
	"chunk; the loss is reported.\n"
	"\n"
	"  --json   one JSON object on stdout\n"
	"\n"
	"Exit status: 0 if the file is intact, 1 if it is unreadable or\n"
	"damaged, 2 on a usage error.\n";

struct totals {
	uint64_t by_type[UINT16_MAX + 1];
	uint64_t events, payload;
	uint64_t ubytes, cbytes, blob_bytes, blob_pieces;
	int read_err;
	char err[256];
};

static int gather(struct ttd_reader *r, struct totals *t)
{
	struct ttd_iter *it;
	struct ttd_event ev;
	int ret;

	for (size_t i = 0; i < ttd_reader_nchunks(r); i++) {
		struct ttd_chunk_info c;

		ttd_reader_chunk(r, i, &c);
		t->ubytes += c.usize;
		t->cbytes += c.csize;
		if (c.type == TTD_CHUNK_BLOB) {
			t->blob_bytes += c.last - c.first;
			t->blob_pieces++;
		}
	}
	ret = ttd_iter_open(r, TTD_ALL_STREAMS, 0, UINT64_MAX, &it);
	if (ret)
		return ret;
	while ((ret = ttd_iter_next(it, &ev)) > 0) {
		t->by_type[ev.type]++;
		t->events++;
		t->payload += ev.len;
	}
	ttd_iter_close(it);
	if (ret < 0) {
		t->read_err = ret;
		snprintf(t->err, sizeof(t->err), "%s", ttd_reader_strerror(r));
	}
	return 0;
}

static void fmt_time(uint64_t ns, char *buf, size_t len)
{
	time_t s = ns / 1000000000u;
	struct tm tm;

	if (!gmtime_r(&s, &tm) ||
	    !strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, len, "?");
}

static double ratio(const struct totals *t)
{
	return t->cbytes ? (double)t->ubytes / t->cbytes : 0.0;
}

/* ---- text ---------------------------------------------------------- */

static void print_streams(struct ttd_reader *r)
{
	unsigned int n = ttd_reader_nstreams(r);

	printf("\nStreams (%u):\n", n);
	if (!n)
		return;
	printf("  %5s %-9s %8s %6s %12s %20s %20s  %s\n", "ID", "KIND", "OS-ID",
	       "PARENT", "EVENTS", "FIRST", "LAST", "NAME");
	for (unsigned int i = 0; i < n; i++) {
		const struct ttd_stream_info *s = ttd_reader_stream(r, i);

		printf("  %5u %-9s %8llu %6u %12llu %20llu %20llu  %s\n", s->id,
		       ttd_stream_kind_name(s->kind),
		       (unsigned long long)s->os_id, s->parent,
		       (unsigned long long)s->events,
		       (unsigned long long)s->first,
		       (unsigned long long)s->last, s->name);
	}
}

static void print_text(const char *path, struct ttd_reader *r,
		       const struct totals *t)
{
	const struct ttd_file_info *fi = ttd_reader_info(r);
	const struct ttd_recovery *rec = ttd_reader_recovery(r);
	char when[64];

	fmt_time(fi->ctime_ns, when, sizeof(when));
	printf("Recording:    %s\n", path);
	printf("Format:       version %u, written by ttd %s\n", fi->version,
	       fi->ttd_version);
	printf("Created:      %s\n", when);
	printf("Host:         %s, Linux %s, page size %u\n", fi->hostname,
	       fi->kernel, fi->page_size);
	printf("CPU:          %s family %u model %u stepping %u "
	       "(%u CPUID leaves recorded)\n",
	       fi->cpu_vendor, fi->cpu_family, fi->cpu_model, fi->cpu_stepping,
	       fi->ncpuid);
	printf("Command line:");
	for (int i = 0; i < fi->argc; i++)
		printf(" %s", fi->argv[i]);
	printf("\n");
	if (rec->complete)
		printf("State:        complete\n");
	else
		printf("State:        INCOMPLETE: %s; %llu of %llu bytes "
		       "unreadable\n",
		       rec->reason, (unsigned long long)rec->lost_bytes,
		       (unsigned long long)rec->file_size);
	if (t->read_err)
		printf("Damage:       %s\n", t->err);
	printf("Size:         %llu bytes in file, %zu chunks; payload %llu "
	       "bytes, stored %llu (ratio %.2f:1)\n",
	       (unsigned long long)rec->file_size, ttd_reader_nchunks(r),
	       (unsigned long long)t->ubytes, (unsigned long long)t->cbytes,
	       ratio(t));
	printf("Events:       %llu, %llu payload bytes\n",
	       (unsigned long long)t->events, (unsigned long long)t->payload);
	printf("Blobs:        %llu bytes in %llu pieces\n",
	       (unsigned long long)t->blob_bytes,
	       (unsigned long long)t->blob_pieces);
	print_streams(r);
	printf("\nEvents by type:\n");
	for (unsigned int i = 0; i <= UINT16_MAX; i++)
		if (t->by_type[i])
			printf("  %-20s %12llu\n", ttd_event_type_name(i),
			       (unsigned long long)t->by_type[i]);
}

/* ---- JSON ---------------------------------------------------------- */

static void jstr(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_json(const char *path, struct ttd_reader *r,
		       const struct totals *t)
{
	const struct ttd_file_info *fi = ttd_reader_info(r);
	const struct ttd_recovery *rec = ttd_reader_recovery(r);
	int first = 1;

	printf("{\"file\":");
	jstr(path);
	printf(",\"format_version\":%u,\"ttd_version\":", fi->version);
	jstr(fi->ttd_version);
	printf(",\"created_ns\":%llu,\"host\":{\"hostname\":",
	       (unsigned long long)fi->ctime_ns);
	jstr(fi->hostname);
	printf(",\"kernel\":");
	jstr(fi->kernel);
	printf(",\"page_size\":%u,\"cpu_vendor\":", fi->page_size);
	jstr(fi->cpu_vendor);
	printf(",\"cpu_family\":%u,\"cpu_model\":%u,\"cpu_stepping\":%u,"
	       "\"cpuid\":[",
	       fi->cpu_family, fi->cpu_model, fi->cpu_stepping);
	for (unsigned int i = 0; i < fi->ncpuid; i++) {
		const struct ttd_cpuid_leaf *l = &fi->cpuid[i];

		printf("%s{\"leaf\":%u,\"subleaf\":%u,\"eax\":%u,\"ebx\":%u,"
		       "\"ecx\":%u,\"edx\":%u}",
		       i ? "," : "", l->leaf, l->subleaf, l->eax, l->ebx,
		       l->ecx, l->edx);
	}
	printf("]},\"argv\":[");
	for (int i = 0; i < fi->argc; i++) {
		printf(i ? "," : "");
		jstr(fi->argv[i]);
	}
	printf("],\"complete\":%s,\"recovery\":{\"reason\":",
	       rec->complete ? "true" : "false");
	jstr(rec->reason);
	printf(",\"lost_bytes\":%llu},\"damage\":",
	       (unsigned long long)rec->lost_bytes);
	jstr(t->err);
	printf(",\"file_bytes\":%llu,\"chunks\":%zu,\"payload_bytes\":%llu,"
	       "\"stored_bytes\":%llu,\"compression_ratio\":%.3f,"
	       "\"events\":%llu,\"event_payload_bytes\":%llu,"
	       "\"blob_bytes\":%llu,\"streams\":[",
	       (unsigned long long)rec->file_size, ttd_reader_nchunks(r),
	       (unsigned long long)t->ubytes, (unsigned long long)t->cbytes,
	       ratio(t), (unsigned long long)t->events,
	       (unsigned long long)t->payload,
	       (unsigned long long)t->blob_bytes);
	for (unsigned int i = 0; i < ttd_reader_nstreams(r); i++) {
		const struct ttd_stream_info *s = ttd_reader_stream(r, i);

		printf("%s{\"id\":%u,\"kind\":\"%s\",\"os_id\":%llu,"
		       "\"parent\":%u,\"name\":",
		       i ? "," : "", s->id, ttd_stream_kind_name(s->kind),
		       (unsigned long long)s->os_id, s->parent);
		jstr(s->name);
		printf(",\"events\":%llu,\"chunks\":%llu,\"first\":%llu,"
		       "\"last\":%llu,\"payload_bytes\":%llu,"
		       "\"stored_bytes\":%llu}",
		       (unsigned long long)s->events,
		       (unsigned long long)s->chunks,
		       (unsigned long long)s->first,
		       (unsigned long long)s->last,
		       (unsigned long long)s->ubytes,
		       (unsigned long long)s->cbytes);
	}
	printf("],\"events_by_type\":{");
	for (unsigned int i = 0; i <= UINT16_MAX; i++) {
		if (!t->by_type[i])
			continue;
		printf(first ? "" : ",");
		jstr(ttd_event_type_name(i));
		printf(":%llu", (unsigned long long)t->by_type[i]);
		first = 0;
	}
	printf("}}\n");
}

static int info_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct ttd_reader *r;
	struct totals *t;
	char err[256];
	int json = 0, c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'h':
			fputs(info_usage, stdout);
			return TTDCTL_OK;
		default:
			return ttdctl_usage("info");
		}
	}
	if (optind != argc - 1)
		return ttdctl_usage("info");
	ret = ttd_reader_open(&r, argv[optind], err, sizeof(err));
	if (ret) {
		ttdctl_err("info", "%s: %s", argv[optind], err);
		return TTDCTL_ERR;
	}
	t = calloc(1, sizeof(*t));
	if (!t || gather(r, t)) {
		ttdctl_err("info", "%s: out of memory", argv[optind]);
		ttd_reader_close(r);
		free(t);
		return TTDCTL_ERR;
	}
	if (json)
		print_json(argv[optind], r, t);
	else
		print_text(argv[optind], r, t);
	ret = t->read_err || !ttd_reader_recovery(r)->complete;
	if (t->read_err)
		ttdctl_err("info", "%s: %s", argv[optind], t->err);
	else if (ret)
		ttdctl_err("info", "%s: incomplete recording: %s", argv[optind],
			   ttd_reader_recovery(r)->reason);
	ttd_reader_close(r);
	free(t);
	return ret ? TTDCTL_ERR : TTDCTL_OK;
}

TTDCTL_COMMAND(info, .name = "info",
	       .summary = "summarise a recording (--json for scripts)",
	       .usage = info_usage, .run = info_run);
