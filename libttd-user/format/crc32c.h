/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TTD_FORMAT_CRC32C_H
#define TTD_FORMAT_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/*
 * CRC-32C (Castagnoli), as used by iSCSI, ext4 and btrfs: initial value
 * ~0, final xor ~0.  crc32c(0, buf, len) gives the checksum of buf;
 * crc32c(prev, ...) continues it.
 */
uint32_t crc32c(uint32_t crc, const void *buf, size_t len);

#endif
