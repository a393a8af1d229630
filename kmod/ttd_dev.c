// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/ttd misc device.
 *
 * Opening it needs CAP_SYS_ADMIN: the rings show what every traced process
 * does.  An open file (and so every mapping) pins the module, which is what
 * lets module exit free the rings without checking for users.  poll()
 * reports the rings readable once one of them holds the watermark set
 * with TTD_IOC_SET_WATERMARK.
 */
#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "uapi/linux/ttd.h"
#include "ttd_dev.h"
#include "ttd_ring.h"

static int ttd_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return nonseekable_open(inode, file);
}

static long ttd_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	struct ttd_ring_info info;
	struct ttd_watermark wm;
	struct ttd_consume c;

	switch (cmd) {
	case TTD_IOC_GET_INFO:
		ttd_rings_get_info(&info);
		if (copy_to_user(uarg, &info, sizeof(info)))
			return -EFAULT;
		return 0;
	case TTD_IOC_CONSUME:
		if (copy_from_user(&c, uarg, sizeof(c)))
			return -EFAULT;
		if (c.reserved)
			return -EINVAL;
		return ttd_ring_consume(c.cpu, c.position);
	case TTD_IOC_SET_WATERMARK:
		if (copy_from_user(&wm, uarg, sizeof(wm)))
			return -EFAULT;
		if (wm.reserved)
			return -EINVAL;
		return ttd_rings_set_watermark(wm.bytes);
	default:
		return -ENOTTY;
	}
}

static int ttd_mmap(struct file *file, struct vm_area_struct *vma)
{
	return ttd_ring_mmap(vma);
}

static __poll_t ttd_poll(struct file *file, poll_table *wait)
{
	return ttd_rings_poll(file, wait);
}

static const struct file_operations ttd_fops = {
	.owner = THIS_MODULE,
	.open = ttd_open,
	.unlocked_ioctl = ttd_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = ttd_mmap,
	.poll = ttd_poll,
};

static struct miscdevice ttd_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ttd",
	.fops = &ttd_fops,
	.mode = 0600,
};

int ttd_dev_init(void)
{
	return misc_register(&ttd_misc);
}

void ttd_dev_exit(void)
{
	misc_deregister(&ttd_misc);
}
