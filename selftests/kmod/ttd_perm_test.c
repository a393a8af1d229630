// SPDX-License-Identifier: GPL-2.0
/*
 * Every control operation is refused without CAP_SYS_ADMIN: as an
 * unprivileged user, and as root with CAP_SYS_ADMIN dropped (but
 * CAP_NET_ADMIN kept, which genetlink's own check would accept).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "ttd_kmod.h"

static int drop_to_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return -1;
	return 0;
}

static int drop_sys_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	d[CAP_TO_INDEX(CAP_SYS_ADMIN)].permitted &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	return syscall(SYS_capset, &h, d) ? -1 : 0;
}

/* Runs in the unprivileged child: every refusal is a bit of the result,
 * so the parent can tell which check failed. */
static int try_everything(struct ttd_nl *root_nl)
{
	struct ttd_nl nl;
	struct ttd_msg m;
	struct ttd_stats st;
	uint32_t id;
	int bad = 0, fd;

	fd = open("/dev/ttd", O_RDONLY);
	if (fd >= 0 || errno != EPERM)
		bad |= 1 << 0;
	if (ttd_nl_open(&nl))
		return 1 << 15;
	if (ttd_add_pid(&nl, getpid(), TTD_CLASS_ALL, 0, &id) != -EPERM)
		bad |= 1 << 1;
	if (ttd_del_group(&nl, 1) != -EPERM)
		bad |= 1 << 2;
	ttd_msg_init(&m, TTD_CMD_SET_EVENTS);
	ttd_msg_u32(&m, TTD_ATTR_GROUP_ID, 1);
	ttd_msg_u32(&m, TTD_ATTR_EVENTS, 0);
	if (ttd_nl_request(&nl, &m, 0, NULL) != -EPERM)
		bad |= 1 << 3;
	if (ttd_set_mode(&nl, TTD_RING_OVERWRITE) != -EPERM)
		bad |= 1 << 4;
	if (ttd_get_stats(&nl, &st) != -EPERM)
		bad |= 1 << 5;
	ttd_msg_init(&m, TTD_CMD_GET_GROUPS);
	if (ttd_nl_request(&nl, &m, NLM_F_DUMP, NULL) != -EPERM)
		bad |= 1 << 6;
	if (ttd_nl_join_notify(&nl) != -EPERM)
		bad |= 1 << 7;
	ttd_nl_close(&nl);
	/* A socket opened with privileges is no way around the check. */
	if (ttd_get_stats(root_nl, &st) != -EPERM)
		bad |= 1 << 8;
	return bad;
}

static int as_nobody(void *arg)
{
	if (drop_to_nobody())
		return 1 << 14;
	return try_everything(arg);
}

static int without_sys_admin(void *arg)
{
	if (drop_sys_admin())
		return 1 << 14;
	return try_everything(arg);
}

static void run_child(struct __test_metadata *_metadata, int (*fn)(void *))
{
	struct ttd_nl root_nl;
	struct ttd_stats st;
	struct ttd_child c;
	int status;

	ASSERT_EQ(0, ttd_nl_open(&root_nl));
	/* Let the device's mode bits through: the module must say no. */
	ASSERT_EQ(0, chmod("/dev/ttd", 0666));
	ASSERT_EQ(0, ttd_child_start(&c, fn, &root_nl));
	status = ttd_child_wait(&c);
	chmod("/dev/ttd", 0600);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
	TH_LOG("refusals that did not happen: mask 0x%x", WEXITSTATUS(status));
	/* Nothing changed. */
	ASSERT_EQ(0, ttd_get_stats(&root_nl, &st));
	EXPECT_EQ(0, st.groups);
	ttd_nl_close(&root_nl);
}

TEST(unprivileged_user)
{
	run_child(_metadata, as_nobody);
}

TEST(root_without_cap_sys_admin)
{
	run_child(_metadata, without_sys_admin);
}

TEST(ring_mapping_is_read_only)
{
	struct ttd_ring_info info;
	void *p;
	int fd = open("/dev/ttd", O_RDWR);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, TTD_IOC_GET_INFO, &info));
	p = mmap(NULL, info.map_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EPERM, errno);
	p = mmap(NULL, info.map_size, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, info.map_size, PROT_READ | PROT_WRITE));
	EXPECT_EQ(TTD_RING_MAGIC, ((struct ttd_ring_header *)p)->magic);
	munmap(p, info.map_size);
	close(fd);
}

TEST_HARNESS_MAIN
