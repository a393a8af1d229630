// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend.h"
#include "log.h"

#define TTD_DEVICE "/dev/ttd"

extern char **environ;

/*
 * Try "modprobe ttd" unless the kernel cannot load modules at all (no
 * /proc/modules), which is common on hardened and container hosts.
 */
static int load_module(void)
{
	char *argv[] = { "modprobe", "-q", "ttd", NULL };
	int status;
	pid_t pid;

	if (access("/proc/modules", F_OK))
		return -ENOSYS;
	if (posix_spawnp(&pid, "modprobe", NULL, NULL, argv, environ))
		return -ENOENT;
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -ENODEV;
}

int backend_kmod_open(struct backend **bp, const struct backend_opts *o)
{
	int err;

	if (access(TTD_DEVICE, F_OK)) {
		err = load_module();
		if (err == -ENOSYS)
			log_info("kmod: %s absent and this kernel cannot load "
				 "modules", TTD_DEVICE);
		else if (err)
			log_info("kmod: %s absent and 'modprobe ttd' failed",
				 TTD_DEVICE);
		if (err || access(TTD_DEVICE, F_OK))
			return -ENODEV;
	}
	/*
	 * Draining ttd.ko's mmap()ed rings is not wired up yet: the module
	 * and the BPF program emit the same records, so the BPF backend
	 * stands in for it.
	 */
	log_warn("kmod: %s is present but this ttdd cannot drain it yet",
		 TTD_DEVICE);
	return -EOPNOTSUPP;
}

int backend_open(struct backend **bp, const struct backend_opts *o)
{
	int err;

	if (!strcmp(o->kind, "bpf"))
		return backend_bpf_open(bp, o);
	if (strcmp(o->kind, "kmod") && strcmp(o->kind, "auto"))
		return -EINVAL;
	err = backend_kmod_open(bp, o);
	if (!err)
		return 0;
	log_info("kmod backend unavailable (%s); falling back to bpf",
		 strerror(-err));
	return backend_bpf_open(bp, o);
}
