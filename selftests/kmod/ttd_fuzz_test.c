// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed input: random ioctls, mmaps and generic netlink messages must
 * get error codes, never an oops (tools/vmtest fails the run if the guest
 * kernel logs one), and the module must keep working afterwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "ttd_kmod.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible from the printed seed. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void seed(struct __test_metadata *_metadata)
{
	const char *s = getenv("TTD_FUZZ_SEED");

	if (s)
		rng_state = strtoull(s, NULL, 0) | 1;
	TH_LOG("seed 0x%llx (TTD_FUZZ_SEED to repeat)",
	       (unsigned long long)rng_state);
}

static void *rnd_ptr(void *good)
{
	static void *const odd[] = {
		NULL,
		(void *)1,
		(void *)-1L,
		(void *)0xffffffff81000000UL,
		(void *)0x7ffffffff000UL,
		(void *)0xdead000000000000UL,
	};

	if (rnd() % 3)
		return good;
	return odd[rnd() % (sizeof(odd) / sizeof(odd[0]))];
}

TEST(ioctl_and_mmap)
{
	unsigned char buf[256];
	struct ttd_ring_info info;
	const struct ttd_ring_header *h;
	struct pollfd pfd = { .events = POLLIN };
	unsigned int cpu;
	int fd = open("/dev/ttd", O_RDWR), i, ok = 0;
	void *p;

	seed(_metadata);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, TTD_IOC_GET_INFO, &info));
	for (i = 0; i < 20000; i++) {
		unsigned long cmd;
		int r;

		for (size_t k = 0; k < sizeof(buf); k += 8) {
			uint64_t v = rnd();

			memcpy(buf + k, &v, 8);
		}
		switch (rnd() % 4) {
		case 0: /* our commands with nonsense arguments */
			cmd = rnd() % 3 ? (rnd() & 1 ? TTD_IOC_GET_INFO
						     : TTD_IOC_CONSUME)
					: TTD_IOC_SET_WATERMARK;
			break;
		case 1: /* our magic, any number, size and direction */
			cmd = _IOC(rnd() % 4, TTD_IOC_MAGIC, rnd() % 8,
				   rnd() % 300);
			break;
		case 2: /* CONSUME with small cpus and aligned positions */
			cmd = TTD_IOC_CONSUME;
			((struct ttd_consume *)buf)->cpu = rnd() % 8;
			((struct ttd_consume *)buf)->reserved =
				rnd() % 4 ? 0 : 1;
			((struct ttd_consume *)buf)->position =
				(rnd() % 4096) * 8;
			break;
		default:
			cmd = (unsigned long)rnd();
			break;
		}
		r = ioctl(fd, cmd, rnd_ptr(buf));
		if (r == 0)
			ok++;
		else
			ASSERT_NE(0, errno);
	}
	TH_LOG("%d of 20000 ioctls accepted", ok);
	/* Whatever watermark was accepted is a valid one. */
	ASSERT_EQ(0, ioctl(fd, TTD_IOC_GET_INFO, &info));
	EXPECT_LE(1, info.watermark);
	EXPECT_GE(info.data_size, info.watermark);
	pfd.fd = fd;
	EXPECT_LE(0, poll(&pfd, 1, 0));
	/* Consumer positions never passed what was produced. */
	for (cpu = 0; cpu < info.nr_cpu_ids; cpu++) {
		p = mmap(NULL, info.map_size, PROT_READ, MAP_SHARED, fd,
			 (off_t)cpu * info.map_size);
		if (p == MAP_FAILED)
			continue;
		h = p;
		EXPECT_LE(h->consumed, h->head);
		EXPECT_EQ(0, h->consumed % 8);
		munmap(p, info.map_size);
	}
	for (i = 0; i < 2000; i++) {
		size_t len = (rnd() % 8) * info.page_size +
			     (rnd() % 2) * (size_t)info.map_size;
		off_t off = (off_t)(rnd() % 16) * info.page_size +
			    (rnd() % 4) * (off_t)info.map_size;
		int prot = PROT_READ | (rnd() % 4 ? 0 : PROT_WRITE);

		p = mmap(NULL, len ? len : 1, prot, MAP_SHARED, fd, off);
		if (p == MAP_FAILED)
			continue;
		/* Only whole, read-only per-CPU rings map. */
		EXPECT_EQ(0, prot & PROT_WRITE);
		EXPECT_EQ(info.map_size, len);
		EXPECT_EQ(0, off % info.map_size);
		EXPECT_EQ(TTD_RING_MAGIC, ((struct ttd_ring_header *)p)->magic);
		munmap(p, len);
	}
	close(fd);
}

static void fuzz_attrs(struct ttd_msg *m)
{
	int n = rnd() % 6, i;
	unsigned char payload[64];

	for (i = 0; i < n; i++) {
		size_t len = rnd() % 3 ? (rnd() % 3 ? 4 : 8) : rnd() % 40;
		uint16_t type = rnd() % 3 ? rnd() % (TTD_ATTR_MAX + 3)
					  : (uint16_t)rnd();

		for (size_t k = 0; k < len; k++)
			payload[k] = rnd();
		/* Mostly real pids and groups, so that some calls succeed. */
		if (len == 4 &&
		    (type == TTD_ATTR_PID || type == TTD_ATTR_GROUP_ID) &&
		    rnd() % 2) {
			uint32_t v = rnd() % 64;

			memcpy(payload, &v, 4);
		}
		ttd_msg_put(m, type, payload, len);
	}
}

TEST(netlink_messages)
{
	struct ttd_nl nl;
	struct ttd_msg m;
	struct ttd_stats st;
	struct nlmsghdr *h;
	int i, ok = 0, answered = 0;

	seed(_metadata);
	ASSERT_EQ(0, ttd_nl_open(&nl));
	for (i = 0; i < 20000; i++) {
		int r;

		ttd_msg_init(&m, rnd() % 3 ? rnd() % (TTD_CMD_MAX + 2) : rnd());
		((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->version = rnd();
		fuzz_attrs(&m);
		h = (struct nlmsghdr *)m.buf;
		h->nlmsg_type = nl.family;
		h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
				 (rnd() % 4 ? 0 : NLM_F_DUMP);
		h->nlmsg_seq = i;
		h->nlmsg_len = m.len;
		/* Lie about lengths now and then. */
		if (rnd() % 8 == 0) {
			h->nlmsg_len = rnd() % (m.len + 16);
			if (h->nlmsg_len < NLMSG_HDRLEN)
				h->nlmsg_len = NLMSG_HDRLEN;
		}
		r = ttd_nl_send_raw(&nl, m.buf,
				    rnd() % 16 ? m.len : rnd() % (m.len + 1));
		if (r == 0)
			ok++;
		if (r != 1)
			answered++;
	}
	TH_LOG("%d accepted, %d answered of 20000", ok, answered);
	EXPECT_LT(10000, answered);
	ttd_nl_close(&nl);

	/* Still working; clean up whatever the fuzzer created. */
	ASSERT_EQ(0, ttd_nl_open(&nl));
	for (i = 1; i < 100000; i++) {
		if (ttd_get_stats(&nl, &st) || !st.groups)
			break;
		ttd_del_group(&nl, i);
	}
	ASSERT_EQ(0, ttd_get_stats(&nl, &st));
	EXPECT_EQ(0, st.groups);
	EXPECT_EQ(0, st.processes);
	ASSERT_EQ(0, ttd_set_mode(&nl, TTD_RING_DROP));
	ttd_nl_close(&nl);
}

TEST(kernel_log_clean)
{
	char bad[2048] = "";

	EXPECT_TRUE(ttd_kernel_log_clean(bad, sizeof(bad)))
	TH_LOG("kernel log: %s", bad);
}

TEST_HARNESS_MAIN
