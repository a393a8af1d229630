/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/ttd: ring geometry, read-only ring mappings, consumer progress,
 * and poll() for a consumer waiting for records.
 */
#ifndef _TTD_DEV_H
#define _TTD_DEV_H

int ttd_dev_init(void);
void ttd_dev_exit(void);

#endif /* _TTD_DEV_H */
