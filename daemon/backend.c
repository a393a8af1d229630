// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "backend.h"
#include "log.h"

int backend_open(struct backend **bp, const struct backend_opts *o)
{
	int err;

	if (!strcmp(o->kind, "bpf"))
		return backend_bpf_open(bp, o);
	if (!strcmp(o->kind, "kmod"))
		return backend_kmod_open(bp, o);
	if (strcmp(o->kind, "auto"))
		return -EINVAL;
	err = backend_kmod_open(bp, o);
	if (!err)
		return 0;
	log_info("kmod backend unavailable (%s); falling back to bpf",
		 strerror(-err));
	return backend_bpf_open(bp, o);
}
